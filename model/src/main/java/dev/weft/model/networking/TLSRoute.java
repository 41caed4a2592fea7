package dev.weft.model.networking;

import java.util.List;

/** Rule for unterminated TLS, matched by SNI. */
public record TLSRoute(
    List<TLSMatchAttributes> match,
    List<RouteDestination> route) {}
