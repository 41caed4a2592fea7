package dev.weft.proxy.filter.router;

import dev.weft.proxy.upstream.Host;
import dev.weft.proxy.upstream.PendingStream;
import dev.weft.proxy.upstream.UpstreamFailure;
import dev.weft.proxy.upstream.UpstreamStream;
import dev.weft.proxy.upstream.UpstreamStreamListener;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One try of a request against one host (Envoy's {@code UpstreamRequest}): it sends the headers and the body so
 * far once its stream is ready, keeps the per-try timeout, and passes what the upstream answers to the
 * {@link RouterFilter}, which decides about retries. Once abandoned or finished it ignores late callbacks.
 */
final class UpstreamRequest implements UpstreamStreamListener {

    private final RouterFilter router;
    private final Host host;
    private UpstreamStream stream;
    private PendingStream pending = PendingStream.NONE;
    private int chunksSent;
    private boolean active = true;
    private boolean responding;
    private ScheduledFuture<?> perTryTimer;

    UpstreamRequest(RouterFilter router, Host host) {
        this.router = router;
        this.host = host;
        host.activeRequests().incrementAndGet();
        if (router.stream().requestComplete()) {
            armPerTryTimeout();
        }
    }

    /** The pool's handle while this try waits for a connection; an abandoned try gives up its place. */
    void waitingFor(PendingStream p) {
        if (active) {
            pending = p;
        } else {
            p.cancel();
        }
    }

    Host host() {
        return host;
    }

    /** The stream this try runs on, once the upstream connection gave one; else null. */
    UpstreamStream stream() {
        return stream;
    }

    boolean responding() {
        return responding;
    }

    /** The response headers went downstream: from now on a failure resets the client instead of retrying. */
    void markResponding() {
        responding = true;
        cancelPerTryTimeout();
    }

    /** As in Envoy, a try's timeout runs from the end of the request. */
    void armPerTryTimeout() {
        long perTry = router.retry().policy().perTryTimeout().toNanos();
        if (perTry > 0 && active && perTryTimer == null && !responding) {
            perTryTimer = router.stream().eventLoop().schedule(this::onPerTryTimeout, perTry, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void onReady(UpstreamStream s) {
        if (!active) {
            s.reset();
            return;
        }
        this.stream = s;
        router.stream().setUpstreamLocalAddress(s.localAddress());
        HttpRequest headers = router.upstreamHeaders();
        s.write(new DefaultHttpRequest(HttpVersion.HTTP_1_1, headers.method(), headers.uri(),
                headers.headers().copy()));
        flushBody();
    }

    /** Sends the body chunks this try has not had yet. */
    void flushBody() {
        if (stream == null || !active) {
            return;
        }
        chunksSent = router.body().writeFrom(chunksSent, stream);
        if (!stream.isWritable()) {
            router.stream().pauseRequestBody();
        }
    }

    @Override
    public void onWritabilityChanged(boolean writable) {
        if (!active) {
            return;
        }
        if (writable) {
            router.stream().resumeRequestBody();
        } else {
            router.stream().pauseRequestBody();
        }
    }

    @Override
    public void onFailure(UpstreamFailure failure) {
        if (!active) {
            return;
        }
        finish();
        router.onUpstreamFailure(this, failure);
    }

    private void onPerTryTimeout() {
        if (active && !responding) {
            router.onPerTryTimeout(this);
        }
    }

    @Override
    public void onResponse(HttpObject message) {
        if (!active) {
            ReferenceCountUtil.release(message);
            return;
        }
        if (message instanceof HttpResponse response) {
            router.onUpstreamHeaders(this, response);
        } else if (message instanceof HttpContent content) {
            router.onUpstreamData(this, content);
        }
    }

    private void cancelPerTryTimeout() {
        if (perTryTimer != null) {
            perTryTimer.cancel(false);
            perTryTimer = null;
        }
    }

    /** Stops this try and drops its stream; the connection is not reused. */
    void abandon() {
        if (!active) {
            return;
        }
        finish();
        if (stream != null) {
            stream.reset();
        } else {
            pending.cancel();
        }
    }

    /** This try is over, however it ended; its host's active request count goes down. */
    void finish() {
        if (!active) {
            return;
        }
        active = false;
        cancelPerTryTimeout();
        host.activeRequests().decrementAndGet();
    }
}
