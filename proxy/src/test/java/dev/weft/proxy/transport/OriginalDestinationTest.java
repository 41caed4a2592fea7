package dev.weft.proxy.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class OriginalDestinationTest {

    @Test
    void parsesTheKernelsSockaddrIn() {
        ByteBuffer raw = ByteBuffer.allocate(16);
        raw.order(ByteOrder.nativeOrder()).putShort(0, (short) 2);
        raw.order(ByteOrder.BIG_ENDIAN).putShort(2, (short) 9080);
        raw.put(4, (byte) 10).put(5, (byte) 1).put(6, (byte) 2).put(7, (byte) 3);

        assertThat(OriginalDestination.parseSockaddrIn(raw)).isEqualTo(new InetSocketAddress("10.1.2.3", 9080));
    }

    @Test
    void rejectsOtherFamilies() {
        ByteBuffer raw = ByteBuffer.allocate(16);
        raw.order(ByteOrder.nativeOrder()).putShort(0, (short) 10);
        assertThat(OriginalDestination.parseSockaddrIn(raw)).isNull();
    }
}
