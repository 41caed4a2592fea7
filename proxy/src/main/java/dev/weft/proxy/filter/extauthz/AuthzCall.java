package dev.weft.proxy.filter.extauthz;

import dev.weft.proxy.snapshot.ProxySnapshot;
import dev.weft.proxy.upstream.Host;
import dev.weft.proxy.upstream.UpstreamCluster;
import dev.weft.proxy.upstream.UpstreamFailure;
import dev.weft.proxy.upstream.UpstreamStream;
import dev.weft.proxy.upstream.UpstreamStreamListener;
import dev.weft.proxy.worker.WorkerContext;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One call to an authorization service: a whole request to a host of its cluster and the whole response back,
 * within a timeout, through the proxy's own upstream connections (the cluster's load balancing, pools and TLS), on
 * the request's event loop. The answer is a {@link Reply}, or null when there was none: no such cluster, no host,
 * a failed or reset stream, a response larger than 64 KiB, or the timeout.
 */
final class AuthzCall implements UpstreamStreamListener {

    /** The response: its head, its body, and its trailers (where gRPC puts its status; empty without). */
    record Reply(HttpResponse head, byte[] body, HttpHeaders trailers) {
    }

    private static final int MAX_RESPONSE_BYTES = 64 * 1024;

    private final FullHttpRequest request;
    private final UpstreamCluster cluster;
    private final Host host;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private Consumer<Reply> done;
    private ScheduledFuture<?> timer;
    private UpstreamStream stream;
    private HttpResponse head;
    private boolean released;

    private AuthzCall(FullHttpRequest request, UpstreamCluster cluster, Host host, Consumer<Reply> done) {
        this.request = request;
        this.cluster = cluster;
        this.host = host;
        this.done = done;
    }

    /**
     * Sends {@code request} (HTTP/2 when {@code http2}) to the cluster, from the event loop {@code worker} runs
     * on, with the clusters of {@code snapshot}; {@code done} hears the outcome once.
     */
    static AuthzCall start(ProxySnapshot snapshot, WorkerContext worker, String clusterName, boolean http2,
            FullHttpRequest request, Duration timeout, Consumer<Reply> done) {
        UpstreamCluster cluster = snapshot.clusters().get(clusterName);
        Host host = cluster == null ? null : worker.upstreams().chooseHost(cluster, null, null, 1);
        AuthzCall call = new AuthzCall(request, cluster, host, done);
        if (host == null) {
            call.finish(null);
            return call;
        }
        cluster.requestStarted();
        host.activeRequests().incrementAndGet();
        call.timer = worker.upstreams().eventLoop().schedule(call::timeOut, timeout.toNanos(), TimeUnit.NANOSECONDS);
        worker.upstreams().newStream(cluster, host, http2, call);
        return call;
    }

    /** Abandons the call without an answer (the request it was for is gone). */
    void cancel() {
        done = null;
        end();
    }

    private void timeOut() {
        cluster.timedOut();
        finish(null);
    }

    @Override
    public void onReady(UpstreamStream s) {
        if (done == null) {
            s.reset();
            return;
        }
        stream = s;
        s.write(request.retain());
    }

    @Override
    public void onFailure(UpstreamFailure failure) {
        stream = null;
        finish(null);
    }

    @Override
    public void onResponse(HttpObject message) {
        try {
            if (done == null) {
                return;
            }
            if (message instanceof HttpResponse response) {
                head = response;
                cluster.recordResponse(host, response.status().code());
            }
            if (message instanceof HttpContent content) {
                content.content().readBytes(body, content.content().readableBytes());
                if (body.size() > MAX_RESPONSE_BYTES) {
                    finish(null);
                    return;
                }
            }
            if (message instanceof LastHttpContent last) {
                stream = null;
                HttpHeaders trailers = last.trailingHeaders();
                finish(new Reply(head, body.toByteArray(), trailers == null ? EmptyHttpHeaders.INSTANCE : trailers));
            }
        } catch (java.io.IOException e) {
            finish(null);
        } finally {
            ReferenceCountUtil.release(message);
        }
    }

    @Override
    public void onWritabilityChanged(boolean writable) {
        // The request is written whole at once.
    }

    private void finish(Reply reply) {
        Consumer<Reply> d = done;
        done = null;
        end();
        if (d != null) {
            d.accept(reply);
        }
    }

    private void end() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
            host.activeRequests().decrementAndGet();
        }
        if (stream != null) {
            stream.reset();
            stream = null;
        }
        if (!released) {
            released = true;
            request.release();
        }
    }
}
