package dev.weft.proxy.filter.jwt;

import com.nimbusds.jose.jwk.JWKSet;
import dev.weft.proxy.filter.StreamFilterCallbacks;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/** Where a provider's keys come from: inline in the config ({@code local_jwks}) or fetched ({@code remote_jwks}). */
sealed interface JwksSource {

    /** The keys usable now, or null when they must be fetched first. */
    JWKSet keys(long nowNanos);

    record Local(JWKSet keys) implements JwksSource {
        @Override
        public JWKSet keys(long nowNanos) {
            return keys;
        }
    }

    /**
     * Keys fetched with a GET of {@code uri} through {@code cluster} (the proxy's own upstream connections, so the
     * cluster's TLS and load balancing apply) and kept for {@code cacheDuration}. Requests on every event loop
     * share one fetch in flight; a failed fetch is tried again by the next request that needs the keys.
     */
    final class Remote implements JwksSource {

        private record Cached(JWKSet keys, long fetchedAtNanos) {
        }

        private final URI uri;
        private final String cluster;
        private final Duration timeout;
        private final Duration cacheDuration;
        private final AtomicReference<CompletableFuture<JWKSet>> inFlight = new AtomicReference<>();
        private volatile Cached cached;

        Remote(URI uri, String cluster, Duration timeout, Duration cacheDuration) {
            this.uri = uri;
            this.cluster = cluster;
            this.timeout = timeout;
            this.cacheDuration = cacheDuration;
        }

        @Override
        public JWKSet keys(long nowNanos) {
            Cached c = cached;
            return c != null && nowNanos - c.fetchedAtNanos() < cacheDuration.toNanos() ? c.keys() : null;
        }

        /** The fetch in flight, or a new one started on the stream's event loop. */
        CompletableFuture<JWKSet> fetch(StreamFilterCallbacks stream) {
            CompletableFuture<JWKSet> mine = new CompletableFuture<>();
            CompletableFuture<JWKSet> running = inFlight.compareAndExchange(null, mine);
            if (running != null) {
                return running;
            }
            mine.whenComplete((keys, failure) -> {
                if (keys != null) {
                    cached = new Cached(keys, stream.worker().ticker().nanos());
                }
                inFlight.set(null);
            });
            JwksFetch.start(stream, uri, cluster, timeout, mine);
            return mine;
        }
    }
}
