package dev.weft.xds.security;

import dev.weft.xds.authn.JwtAuthnFilters;
import dev.weft.xds.authz.AuthorizationFilters;
import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.push.PushContext;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import java.util.ArrayList;
import java.util.List;

/**
 * The security filters of a workload's inbound traffic on one port, in Istio's order: CUSTOM authorization (rbac
 * recording the match, then ext_authz), end-user authentication (jwt_authn, which goes between the two
 * authorization parts), then the AUDIT, DENY and ALLOW rbac filters, which can check the verified token's claims.
 */
public final class InboundSecurityFilters {

    private InboundSecurityFilters() {
    }

    /** HTTP filters ahead of the connection manager's own (fault, cors, router). */
    public static List<HttpFilter> http(PushContext push, ProxyNode proxy, int port) {
        List<HttpFilter> filters = new ArrayList<>(AuthorizationFilters.customHttp(push, proxy));
        filters.addAll(JwtAuthnFilters.forWorkload(push, proxy));
        filters.addAll(AuthorizationFilters.http(push, proxy));
        return filters;
    }

    /** Network filters ahead of the tcp_proxy of a TCP port. */
    public static List<Filter> tcp(PushContext push, ProxyNode proxy, int port) {
        List<Filter> filters = new ArrayList<>(AuthorizationFilters.customTcp(push, proxy));
        filters.addAll(AuthorizationFilters.tcp(push, proxy));
        return filters;
    }
}
