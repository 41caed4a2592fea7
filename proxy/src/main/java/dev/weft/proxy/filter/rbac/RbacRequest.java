package dev.weft.proxy.filter.rbac;

import dev.weft.proxy.router.RouteRequest;
import dev.weft.proxy.streaminfo.DynamicMetadata;
import java.net.InetSocketAddress;

/**
 * What an RBAC policy may look at: the request (headers with their pseudo-headers, path) and its connection (the
 * client's and the destination's addresses, the peer certificate's principal, the SNI) and what earlier filters
 * learned of it (dynamic metadata: jwt_authn's verified payload). For a TCP connection the request is null and only
 * connection facts match.
 */
record RbacRequest(RouteRequest request, InetSocketAddress source, InetSocketAddress destination,
        String peerPrincipal, String requestedServerName, DynamicMetadata metadata) {
}
