package dev.weft.proxy.filter.rbac;

import dev.weft.proxy.filter.FilterStatus;
import dev.weft.proxy.filter.HttpFilter;
import dev.weft.proxy.filter.StreamFilterCallbacks;
import java.util.concurrent.atomic.LongAdder;

/**
 * Envoy's HTTP RBAC filter: a request its rules do not allow gets 403 {@code RBAC: access denied} and goes no
 * further; shadow rules are only counted.
 */
final class RbacFilter implements HttpFilter {

    record Stats(LongAdder allowed, LongAdder denied, LongAdder shadowAllowed, LongAdder shadowDenied) {
    }

    private final RbacPolicies rules;
    private final RbacPolicies shadow;
    private final Stats stats;

    RbacFilter(RbacPolicies rules, RbacPolicies shadow, Stats stats) {
        this.rules = rules;
        this.shadow = shadow;
        this.stats = stats;
    }

    @Override
    public FilterStatus onRequestHeaders(StreamFilterCallbacks stream) {
        if (rules == null && shadow == null) {
            return FilterStatus.CONTINUE;
        }
        RbacRequest request = new RbacRequest(stream.routeRequest(), stream.remoteAddress(),
                stream.destinationAddress(), stream.peerPrincipal(), stream.requestedServerName(),
                stream.dynamicMetadata());
        if (shadow != null) {
            (shadow.evaluate(request).allowed() ? stats.shadowAllowed() : stats.shadowDenied()).increment();
        }
        if (rules == null) {
            return FilterStatus.CONTINUE;
        }
        if (rules.evaluate(request).allowed()) {
            stats.allowed().increment();
            return FilterStatus.CONTINUE;
        }
        stats.denied().increment();
        stream.sendLocalReply(403, "RBAC: access denied", null);
        return FilterStatus.STOP;
    }
}
