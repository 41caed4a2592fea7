package dev.weft.proxy.filter.jwt;

import com.nimbusds.jose.jwk.JWKSet;
import dev.weft.proxy.filter.StreamFilterCallbacks;
import dev.weft.proxy.upstream.ClusterConfig;
import dev.weft.proxy.upstream.Host;
import dev.weft.proxy.upstream.UpstreamCluster;
import dev.weft.proxy.upstream.UpstreamFailure;
import dev.weft.proxy.upstream.UpstreamStream;
import dev.weft.proxy.upstream.UpstreamStreamListener;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One GET of a JWKS through the proxy's upstream connections to a cluster (Envoy's {@code http_uri}), on the
 * requesting stream's event loop: a 200 whose body parses as a JWK set completes it; anything else, a body over
 * 1 MiB or the timeout fails it.
 */
final class JwksFetch implements UpstreamStreamListener {

    private static final int MAX_BODY_BYTES = 1 << 20;

    private final URI uri;
    private final CompletableFuture<JWKSet> result;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private ScheduledFuture<?> timer;
    private UpstreamStream stream;
    private int status;

    private JwksFetch(URI uri, CompletableFuture<JWKSet> result) {
        this.uri = uri;
        this.result = result;
    }

    static void start(StreamFilterCallbacks exchange, URI uri, String clusterName, Duration timeout,
            CompletableFuture<JWKSet> result) {
        UpstreamCluster cluster = exchange.snapshot().clusters().get(clusterName);
        Host host = cluster == null ? null : exchange.worker().upstreams().chooseHost(cluster, null, null, 1);
        if (host == null) {
            result.completeExceptionally(new IllegalStateException("no host in cluster " + clusterName));
            return;
        }
        JwksFetch fetch = new JwksFetch(uri, result);
        fetch.timer = exchange.eventLoop().schedule(() -> fetch.fail("timed out after " + timeout),
                timeout.toNanos(), TimeUnit.NANOSECONDS);
        exchange.worker().upstreams().newStream(cluster, host,
                cluster.config().protocol() == ClusterConfig.UpstreamProtocol.HTTP2, fetch);
    }

    @Override
    public void onReady(UpstreamStream s) {
        if (result.isDone()) {
            s.reset();
            return;
        }
        stream = s;
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        DefaultHttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
                uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery());
        request.headers().set(HttpHeaderNames.HOST, uri.getRawAuthority());
        s.write(request);
        s.write(LastHttpContent.EMPTY_LAST_CONTENT);
    }

    @Override
    public void onFailure(UpstreamFailure failure) {
        fail("upstream " + failure);
    }

    @Override
    public void onResponse(HttpObject message) {
        try {
            if (result.isDone()) {
                return;
            }
            if (message instanceof HttpResponse response) {
                status = response.status().code();
            }
            if (message instanceof HttpContent content) {
                if (body.size() + content.content().readableBytes() > MAX_BODY_BYTES) {
                    fail("body over " + MAX_BODY_BYTES + " bytes");
                    return;
                }
                content.content().readBytes(body, content.content().readableBytes());
            }
            if (message instanceof LastHttpContent) {
                complete();
            }
        } catch (java.io.IOException e) {
            fail(e.toString());
        } finally {
            ReferenceCountUtil.release(message);
        }
    }

    private void complete() {
        timer.cancel(false);
        if (status != 200) {
            result.completeExceptionally(new IllegalStateException(uri + " answered " + status));
            return;
        }
        try {
            result.complete(JWKSet.parse(body.toString(StandardCharsets.UTF_8)));
        } catch (java.text.ParseException e) {
            result.completeExceptionally(e);
        }
    }

    private void fail(String why) {
        if (timer != null) {
            timer.cancel(false);
        }
        if (result.completeExceptionally(new IllegalStateException("fetching " + uri + ": " + why)) && stream != null) {
            stream.reset();
        }
    }

    @Override
    public void onWritabilityChanged(boolean writable) {
        // One small request: nothing to pause.
    }
}
