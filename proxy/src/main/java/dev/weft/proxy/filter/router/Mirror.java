package dev.weft.proxy.filter.router;

import dev.weft.proxy.filter.StreamFilterCallbacks;
import dev.weft.proxy.upstream.ClusterConfig;
import dev.weft.proxy.upstream.Host;
import dev.weft.proxy.upstream.UpstreamCluster;
import dev.weft.proxy.upstream.UpstreamFailure;
import dev.weft.proxy.upstream.UpstreamStream;
import dev.weft.proxy.upstream.UpstreamStreamListener;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * A fire-and-forget copy of a request sent to a shadow cluster. Its response is read and dropped; its failures
 * never touch the real request. Body chunks wait while the stream opens, up to a bound, then the copy gives up.
 */
final class Mirror implements UpstreamStreamListener {

    private static final int MAX_QUEUED_BYTES = 64 * 1024;

    private final ArrayDeque<HttpContent> queued = new ArrayDeque<>();
    private final HttpRequest headers;
    private UpstreamStream stream;
    private int queuedBytes;
    private boolean dead;

    private Mirror(HttpRequest headers) {
        this.headers = headers;
    }

    /** Starts a mirror, or returns null when the shadow cluster has no host. */
    static Mirror start(StreamFilterCallbacks exchange, UpstreamCluster cluster, HttpRequest headers) {
        Host host = exchange.worker().upstreams().chooseHost(cluster, null, null, 1);
        if (host == null) {
            return null;
        }
        boolean http2 = cluster.config().protocol() == ClusterConfig.UpstreamProtocol.HTTP2;
        if (!http2 && exchange.requestHasBody() && !HttpUtil.isContentLengthSet(headers)) {
            HttpUtil.setTransferEncodingChunked(headers, true);
        }
        Mirror m = new Mirror(headers);
        cluster.requestStarted();
        exchange.worker().upstreams().newStream(cluster, host, http2, m);
        return m;
    }

    void write(HttpContent content) {
        if (dead) {
            ReferenceCountUtil.release(content);
            return;
        }
        if (stream != null) {
            stream.write(content);
            return;
        }
        queuedBytes += content.content().readableBytes();
        queued.add(content);
        if (queuedBytes > MAX_QUEUED_BYTES) {
            giveUp();
        }
    }

    /** The real request ended; a copy that never opened and never got the whole body is dropped. */
    void requestBodyDone() {
        if (stream == null && queued.stream().noneMatch(LastHttpContent.class::isInstance)) {
            giveUp();
        }
    }

    private void giveUp() {
        dead = true;
        queued.forEach(ReferenceCountUtil::release);
        queued.clear();
        if (stream != null) {
            stream.reset();
        }
    }

    @Override
    public void onReady(UpstreamStream s) {
        if (dead) {
            s.reset();
            return;
        }
        stream = s;
        s.write(headers);
        HttpContent c;
        while ((c = queued.poll()) != null) {
            s.write(c);
        }
    }

    @Override
    public void onFailure(UpstreamFailure failure) {
        dead = true;
        queued.forEach(ReferenceCountUtil::release);
        queued.clear();
    }

    @Override
    public void onResponse(HttpObject message) {
        ReferenceCountUtil.release(message);
    }

    @Override
    public void onWritabilityChanged(boolean writable) {
        // A shadow never slows the real request down.
    }
}
