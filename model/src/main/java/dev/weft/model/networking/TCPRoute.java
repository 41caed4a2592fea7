package dev.weft.model.networking;

import java.util.List;

/** Rule for opaque TCP traffic. */
public record TCPRoute(
    List<L4MatchAttributes> match,
    List<RouteDestination> route) {}
