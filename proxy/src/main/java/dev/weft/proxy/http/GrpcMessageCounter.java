package dev.weft.proxy.http;

import io.netty.buffer.ByteBuf;

/**
 * Counts the gRPC messages in one direction of a stream from its body chunks, as Envoy's gRPC frame inspector does:
 * every message is a 5-byte prefix (a flag byte, a 4-byte big-endian length) and that many bytes, and a message counts
 * once its prefix is whole. Reads the chunks without moving their indices; a chunk may end anywhere.
 */
final class GrpcMessageCounter {

    private static final int PREFIX = 5;

    private long messages;
    private int prefixRead;
    private long length;
    private long bodyLeft;

    void accept(ByteBuf chunk) {
        int i = chunk.readerIndex();
        int end = chunk.writerIndex();
        while (i < end) {
            if (bodyLeft > 0) {
                int skip = (int) Math.min(bodyLeft, end - i);
                bodyLeft -= skip;
                i += skip;
                continue;
            }
            int b = chunk.getByte(i++) & 0xff;
            if (prefixRead > 0) {
                length = (length << 8) | b;
            }
            if (++prefixRead == PREFIX) {
                messages++;
                bodyLeft = length;
                prefixRead = 0;
                length = 0;
            }
        }
    }

    long messages() {
        return messages;
    }
}
