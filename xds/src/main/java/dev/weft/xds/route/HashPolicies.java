package dev.weft.xds.route;

import dev.weft.model.networking.ConsistentHashLB;
import dev.weft.xds.cluster.Durations;
import dev.weft.xds.push.EffectivePolicy;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import java.util.Optional;

/** A DestinationRule's consistentHash key becomes the route's hash policy; the ring lives on the cluster. */
final class HashPolicies {

    private HashPolicies() {
    }

    static Optional<RouteAction.HashPolicy> of(EffectivePolicy policy) {
        if (!policy.usesConsistentHash()) {
            return Optional.empty();
        }
        ConsistentHashLB hash = policy.loadBalancer().consistentHash();
        RouteAction.HashPolicy.Builder out = RouteAction.HashPolicy.newBuilder();
        if (hash.httpHeaderName() != null) {
            out.getHeaderBuilder().setHeaderName(hash.httpHeaderName());
        } else if (hash.httpCookie() != null) {
            RouteAction.HashPolicy.Cookie.Builder cookie = out.getCookieBuilder().setName(hash.httpCookie().name());
            if (!hash.httpCookie().path().isEmpty()) {
                cookie.setPath(hash.httpCookie().path());
            }
            if (hash.httpCookie().ttl() != null) {
                cookie.setTtl(Durations.of(hash.httpCookie().ttl()));
            }
        } else if (hash.useSourceIp()) {
            out.getConnectionPropertiesBuilder().setSourceIp(true);
        } else if (hash.httpQueryParameterName() != null) {
            out.getQueryParameterBuilder().setName(hash.httpQueryParameterName());
        } else {
            return Optional.empty();
        }
        return Optional.of(out.build());
    }
}
