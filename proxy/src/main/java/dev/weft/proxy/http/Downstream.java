package dev.weft.proxy.http;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpObject;

/**
 * The client side an {@link HttpExchange} answers on: an HTTP/1 connection, or one stream of an HTTP/2 connection.
 * Every call happens on the connection's event loop.
 */
interface Downstream {

    /** Writes a response part (headers, body chunk, or a last chunk with trailers) and flushes it. */
    void send(HttpObject message);

    /** Whether the client is taking what is sent (socket buffer, or the stream's flow-control window). */
    boolean isWritable();

    /** Pauses or resumes reading the request body, for backpressure toward the client. */
    void setReading(boolean reading);

    /** Aborts: closes an HTTP/1 connection, resets an HTTP/2 stream. */
    void reset();

    /** The exchange wrote its response and read (or abandoned) its request. */
    void exchangeDone(HttpExchange exchange, boolean keepAlive);

    /** Whether the connection ends after the response now being sent (HTTP/1 only; HTTP/2 drains with GOAWAY). */
    boolean draining();

    /** The client's TCP connection: its event loop, addresses, attributes and TLS handler. */
    Channel connection();
}
