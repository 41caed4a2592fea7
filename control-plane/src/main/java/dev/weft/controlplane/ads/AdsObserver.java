package dev.weft.controlplane.ads;

import dev.weft.controlplane.push.PushRequest;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.time.Instant;

/**
 * Told what the ADS server does, e.g. to count it as istiod's {@code pilot_xds_*} metrics. Called on gRPC's and the
 * xDS workers' threads, some under a stream's lock: implementations must be cheap and never block.
 */
public interface AdsObserver {

    AdsObserver NONE = new AdsObserver() {
    };

    /** A push reached the server with this many connected proxies. */
    default void pushed(PushRequest request, int proxies) {
    }

    /** A proxy's stream opened (its first request named the admitted node). */
    default void connected(Node node) {
    }

    /** A proxy's stream that {@link #connected} closed. */
    default void disconnected(Node node) {
    }

    /** A response was handed to gRPC ({@code failed} when that threw); {@code nanos} from generating to written. */
    default void responseSent(XdsType type, long bytes, long nanos, boolean failed) {
    }

    /** The proxy NACKed a response with this gRPC status code. */
    default void rejected(XdsType type, String nodeId, int code) {
    }

    /** Generating a type for a proxy failed (a bug: the proxy keeps what it has). */
    default void generationFailed(XdsType type) {
    }

    /** A proxy has been sent everything a push had for it; the push's first change happened at {@code changedAt}. */
    default void converged(Instant changedAt) {
    }
}
