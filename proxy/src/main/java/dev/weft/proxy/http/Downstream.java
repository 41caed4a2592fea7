package dev.weft.proxy.http;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;

/**
 * The client side an {@link HttpExchange} answers on: an HTTP/1 connection, or one stream of an HTTP/2 connection.
 * Every call happens on the connection's event loop.
 */
interface Downstream {

    /**
     * Frames and sends the response headers (with the whole body, for a full response). On HTTP/1 the codec picks
     * content-length, chunked or (for HTTP/1.0) a close-delimited body, and says {@code connection: close} when the
     * connection ends after this response: when the exchange asks ({@code closeAfter}), the body needs it, or the
     * connection is draining.
     *
     * @return whether the connection ends after this response (never, for an HTTP/2 stream)
     */
    boolean sendHeaders(HttpResponse response, boolean closeAfter);

    /** Writes a body chunk, or a last chunk with trailers, and flushes it. */
    void send(HttpObject message);

    /**
     * Sends the upstream's 101 and turns the connection into a byte tunnel to {@code upstream} (a WebSocket over
     * HTTP/1); the upstream channel must have no HTTP handlers left.
     */
    void upgrade(HttpResponse switching, Channel upstream);

    /** Whether the client is taking what is sent (socket buffer, or the stream's flow-control window). */
    boolean isWritable();

    /** Pauses or resumes reading the request body, for backpressure toward the client. */
    void setReading(boolean reading);

    /** Aborts: closes an HTTP/1 connection, resets an HTTP/2 stream. */
    void reset();

    /** The exchange wrote its response and read (or abandoned) its request. */
    void exchangeDone(HttpExchange exchange, boolean keepAlive);

    /** The client's TCP connection: its event loop, addresses, attributes and TLS handler. */
    Channel connection();
}
