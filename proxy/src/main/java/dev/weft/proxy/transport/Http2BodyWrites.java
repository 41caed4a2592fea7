package dev.weft.proxy.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.HttpConversionUtil;

/** A message body onto an HTTP/2 stream, as both ends of the proxy write it: DATA, then trailers if any. */
public final class Http2BodyWrites {

    private Http2BodyWrites() {
    }

    /** A body chunk (owned by the encoder from here on), then trailers if the stream ends with some. */
    public static void writeBody(ChannelHandlerContext ctx, Http2ConnectionEncoder encoder, int id, ByteBuf data,
            HttpHeaders trailers, boolean last) {
        boolean withTrailers = last && trailers != null && !trailers.isEmpty();
        encoder.writeData(ctx, id, data, 0, last && !withTrailers, ctx.newPromise());
        if (withTrailers) {
            encoder.writeHeaders(ctx, id, HttpConversionUtil.toHttp2Headers(trailers, true), 0, true,
                    ctx.newPromise());
        }
    }
}
