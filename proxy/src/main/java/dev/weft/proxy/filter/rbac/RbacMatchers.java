package dev.weft.proxy.filter.rbac;

import dev.weft.proxy.config.ConfigException;
import dev.weft.proxy.matcher.CidrRange;
import dev.weft.proxy.matcher.MetadataMatcher;
import dev.weft.proxy.matcher.StringMatcher;
import dev.weft.proxy.router.HeaderMatcher;
import io.envoyproxy.envoy.config.rbac.v3.Permission;
import io.envoyproxy.envoy.config.rbac.v3.Principal;
import java.util.List;
import java.util.function.Predicate;

/**
 * Compiles RBAC permissions (what is asked for) and principals (who asks) into predicates, once, when config
 * arrives. A matcher weft-proxy cannot evaluate is a config error rather than a silent "no match", which would
 * quietly turn a DENY policy off. Metadata matchers read the request's dynamic metadata (request principals and
 * claims from jwt_authn); on a TCP connection there is none, so they see an empty struct.
 */
final class RbacMatchers {

    private RbacMatchers() {
    }

    static Predicate<RbacRequest> permission(Permission p) {
        return switch (p.getRuleCase()) {
            case ANY -> r -> p.getAny();
            case AND_RULES -> all(p.getAndRules().getRulesList().stream().map(RbacMatchers::permission).toList());
            case OR_RULES -> any(p.getOrRules().getRulesList().stream().map(RbacMatchers::permission).toList());
            case NOT_RULE -> permission(p.getNotRule()).negate();
            case HEADER -> header(p.getHeader());
            case URL_PATH -> path(p.getUrlPath());
            case DESTINATION_IP -> address(p.getDestinationIp(), RbacRequest::destination);
            case DESTINATION_PORT -> {
                int port = p.getDestinationPort();
                yield r -> r.destination() != null && r.destination().getPort() == port;
            }
            case DESTINATION_PORT_RANGE -> {
                int start = p.getDestinationPortRange().getStart();
                int end = p.getDestinationPortRange().getEnd();
                yield r -> r.destination() != null && r.destination().getPort() >= start
                        && r.destination().getPort() < end;
            }
            case METADATA -> metadata(p.getMetadata());
            case REQUESTED_SERVER_NAME -> {
                StringMatcher name = StringMatcher.compile(p.getRequestedServerName());
                yield r -> r.requestedServerName() != null && name.matches(r.requestedServerName());
            }
            default -> throw new ConfigException("RBAC permission " + p.getRuleCase() + " is not supported");
        };
    }

    @SuppressWarnings("deprecation") // source_ip is deprecated but still sent by older control planes
    static Predicate<RbacRequest> principal(Principal p) {
        return switch (p.getIdentifierCase()) {
            case ANY -> r -> p.getAny();
            case AND_IDS -> all(p.getAndIds().getIdsList().stream().map(RbacMatchers::principal).toList());
            case OR_IDS -> any(p.getOrIds().getIdsList().stream().map(RbacMatchers::principal).toList());
            case NOT_ID -> principal(p.getNotId()).negate();
            case AUTHENTICATED -> {
                if (!p.getAuthenticated().hasPrincipalName()) {
                    yield r -> r.peerPrincipal() != null;
                }
                StringMatcher name = StringMatcher.compile(p.getAuthenticated().getPrincipalName());
                yield r -> r.peerPrincipal() != null && name.matches(r.peerPrincipal());
            }
            // Without trusted proxies in front, the connection's peer is the client: remote_ip is direct_remote_ip.
            case SOURCE_IP -> address(p.getSourceIp(), RbacRequest::source);
            case DIRECT_REMOTE_IP -> address(p.getDirectRemoteIp(), RbacRequest::source);
            case REMOTE_IP -> address(p.getRemoteIp(), RbacRequest::source);
            case HEADER -> header(p.getHeader());
            case URL_PATH -> path(p.getUrlPath());
            case METADATA -> metadata(p.getMetadata());
            default -> throw new ConfigException("RBAC principal " + p.getIdentifierCase() + " is not supported");
        };
    }

    private static Predicate<RbacRequest> header(io.envoyproxy.envoy.config.route.v3.HeaderMatcher proto) {
        HeaderMatcher m = HeaderMatcher.compile(proto);
        return r -> r.request() != null && m.matches(r.request());
    }

    private static Predicate<RbacRequest> metadata(io.envoyproxy.envoy.type.matcher.v3.MetadataMatcher proto) {
        MetadataMatcher m = MetadataMatcher.compile(proto);
        return r -> m.matches(r.metadata());
    }

    private static Predicate<RbacRequest> path(io.envoyproxy.envoy.type.matcher.v3.PathMatcher proto) {
        StringMatcher m = StringMatcher.compile(proto.getPath());
        return r -> r.request() != null && m.matches(r.request().path());
    }

    private static Predicate<RbacRequest> address(io.envoyproxy.envoy.config.core.v3.CidrRange proto,
            java.util.function.Function<RbacRequest, java.net.InetSocketAddress> of) {
        CidrRange range = CidrRange.parse(proto.getAddressPrefix(),
                proto.hasPrefixLen() ? proto.getPrefixLen().getValue() : -1);
        return r -> of.apply(r) != null && range.contains(of.apply(r).getAddress());
    }

    private static Predicate<RbacRequest> all(List<Predicate<RbacRequest>> parts) {
        return r -> {
            for (Predicate<RbacRequest> p : parts) {
                if (!p.test(r)) {
                    return false;
                }
            }
            return true;
        };
    }

    /** Any of the parts; none (an empty list) matches nothing, as in Envoy. */
    static Predicate<RbacRequest> any(List<Predicate<RbacRequest>> parts) {
        return r -> {
            for (Predicate<RbacRequest> p : parts) {
                if (p.test(r)) {
                    return true;
                }
            }
            return false;
        };
    }
}
