package dev.weft.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

/** What a handler on an {@link EmbeddedChannel} wrote. */
public final class EmbeddedBytes {

    private EmbeddedBytes() {
    }

    /** Everything written since the last call, as one buffer the caller releases. */
    public static ByteBuf written(EmbeddedChannel channel) {
        ByteBuf all = Unpooled.buffer();
        ByteBuf b;
        while ((b = channel.readOutbound()) != null) {
            all.writeBytes(b);
            b.release();
        }
        return all;
    }
}
