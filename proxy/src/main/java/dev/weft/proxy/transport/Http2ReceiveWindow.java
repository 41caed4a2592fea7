package dev.weft.proxy.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Stream;

/**
 * Backpressure on one HTTP/2 stream without a child channel, for both ends of the proxy: while its reader is
 * paused, received DATA is passed on but not acknowledged, so the peer runs out of flow-control window instead of
 * the proxy buffering without bound.
 */
public final class Http2ReceiveWindow {

    private boolean reading = true;
    private int unacknowledged;

    /** How many of {@code length} just-received body bytes to acknowledge now; the rest wait for reading to resume. */
    public int received(int length) {
        if (reading) {
            return length;
        }
        unacknowledged += length;
        return 0;
    }

    /** Pauses or resumes; resuming acknowledges what was held back, unless the stream is gone. */
    public void setReading(boolean wanted, Http2ConnectionHandler connection, ChannelHandlerContext ctx,
            Http2Stream stream) {
        if (reading == wanted) {
            return;
        }
        reading = wanted;
        if (!wanted || unacknowledged == 0) {
            return;
        }
        int bytes = unacknowledged;
        unacknowledged = 0;
        if (stream.state() == Http2Stream.State.CLOSED) {
            return;
        }
        try {
            connection.decoder().flowController().consumeBytes(stream, bytes);
            connection.flush(ctx);
        } catch (Http2Exception e) {
            connection.onError(ctx, false, e);
        }
    }
}
