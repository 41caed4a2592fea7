package dev.weft.model.networking;

import java.util.List;
import java.util.Map;

/** L4 match conditions for TCP routes. */
public record L4MatchAttributes(
    List<String> destinationSubnets,
    int port,
    String sourceSubnet,
    Map<String, String> sourceLabels,
    List<String> gateways,
    String sourceNamespace) {}
