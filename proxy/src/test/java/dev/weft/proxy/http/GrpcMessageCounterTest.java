package dev.weft.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class GrpcMessageCounterTest {

    private static byte[] message(int length) {
        byte[] m = new byte[5 + length];
        m[1] = (byte) (length >>> 24);
        m[2] = (byte) (length >>> 16);
        m[3] = (byte) (length >>> 8);
        m[4] = (byte) length;
        return m;
    }

    @Test
    void countsMessagesWhoseChunksEndAnywhere() {
        byte[] three = new byte[0];
        for (int len : new int[] {3, 0, 300}) {
            byte[] m = message(len);
            byte[] joined = new byte[three.length + m.length];
            System.arraycopy(three, 0, joined, 0, three.length);
            System.arraycopy(m, 0, joined, three.length, m.length);
            three = joined;
        }
        for (int split = 1; split < three.length; split += 7) {
            GrpcMessageCounter counter = new GrpcMessageCounter();
            ByteBuf first = Unpooled.wrappedBuffer(three, 0, split);
            ByteBuf rest = Unpooled.wrappedBuffer(three, split, three.length - split);
            counter.accept(first);
            counter.accept(rest);
            assertThat(counter.messages()).as("split at %d", split).isEqualTo(3);
            assertThat(first.readerIndex()).as("reads without consuming").isZero();
        }
    }

    @Test
    void aMessageCountsOnceItsPrefixIsWhole() {
        GrpcMessageCounter counter = new GrpcMessageCounter();
        counter.accept(Unpooled.wrappedBuffer(message(10), 0, 4));
        assertThat(counter.messages()).isZero();
        counter.accept(Unpooled.wrappedBuffer(message(10), 4, 1));
        assertThat(counter.messages()).isEqualTo(1);
    }
}
