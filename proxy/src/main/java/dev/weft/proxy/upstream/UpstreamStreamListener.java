package dev.weft.proxy.upstream;

import io.netty.handler.codec.http.HttpObject;

/** Receives what happens on an {@link UpstreamStream}, on the stream's event loop. */
public interface UpstreamStreamListener {

    /** The stream is ready; its request may be written now. */
    void onReady(UpstreamStream stream);

    /** The stream could not be had or was lost before the response completed. */
    void onFailure(UpstreamFailure failure);

    /** A response part: headers, then body chunks, then a last chunk (possibly with trailers). */
    void onResponse(HttpObject message);

    void onWritabilityChanged(boolean writable);
}
