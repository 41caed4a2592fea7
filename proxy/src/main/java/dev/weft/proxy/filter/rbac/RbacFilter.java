package dev.weft.proxy.filter.rbac;

import dev.weft.proxy.filter.FilterStatus;
import dev.weft.proxy.filter.HttpFilter;
import dev.weft.proxy.filter.StreamFilterCallbacks;

/**
 * Envoy's HTTP RBAC filter: a request its rules do not allow gets 403 {@code RBAC: access denied} and goes no
 * further; shadow rules are only counted and recorded in the request's dynamic metadata.
 */
final class RbacFilter implements HttpFilter {

    private final RbacEngine engine;

    RbacFilter(RbacEngine engine) {
        this.engine = engine;
    }

    @Override
    public FilterStatus onRequestHeaders(StreamFilterCallbacks stream) {
        if (engine.isEmpty()) {
            return FilterStatus.CONTINUE;
        }
        RbacRequest request = new RbacRequest(stream.routeRequest(), stream.remoteAddress(),
                stream.destinationAddress(), stream.peerPrincipal(), stream.requestedServerName(),
                stream.dynamicMetadata());
        if (engine.allows(request, stream.dynamicMetadata())) {
            return FilterStatus.CONTINUE;
        }
        stream.sendLocalReply(403, "RBAC: access denied", null);
        return FilterStatus.STOP;
    }
}
