package dev.weft.proxy.upstream;

import io.netty.channel.Channel;
import java.net.SocketAddress;
import io.netty.handler.codec.http.HttpObject;

/** One request/response exchange on an upstream connection (an HTTP/1 connection or an HTTP/2 stream). */
public interface UpstreamStream {

    /** Writes and flushes a request part: the request headers, then body chunks, then a last chunk. */
    void write(HttpObject message);

    boolean isWritable();

    /** The local address of the connection this stream runs on. */
    SocketAddress localAddress();

    /** Pauses or resumes reading the response, for backpressure towards a slow client. */
    void setReading(boolean reading);

    /**
     * Takes the connection out of the pool for a protocol switch (WebSocket): the HTTP handlers are removed and
     * the raw channel is returned, or null when this stream cannot be detached (HTTP/2).
     */
    Channel detach();

    /** Abandons the exchange: the connection is not reused (HTTP/1) or the stream is reset (HTTP/2). */
    void reset();
}
