package dev.weft.proxy.filter.rbac;

import dev.weft.proxy.streaminfo.ResponseCodeDetails;
import dev.weft.proxy.filter.FilterStatus;
import dev.weft.proxy.filter.HttpFilter;
import dev.weft.proxy.filter.StreamFilterCallbacks;

/**
 * Envoy's HTTP RBAC filter: a request its rules do not allow gets 403 {@code RBAC: access denied} and goes no
 * further, its response code details naming the policy ({@code rbac_access_denied_matched_policy[<id>]}, or
 * {@code [none]} when no ALLOW policy matched); shadow rules are only counted and recorded in the request's
 * dynamic metadata.
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
        RbacPolicies.Decision decision = engine.check(request, stream.dynamicMetadata());
        if (decision.allowed()) {
            return FilterStatus.CONTINUE;
        }
        stream.markDenial();
        stream.sendLocalReply(403, "RBAC: access denied", null, ResponseCodeDetails.rbacDenied(decision.policy()));
        return FilterStatus.STOP;
    }
}
