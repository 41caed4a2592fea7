package dev.weft.model.networking;

import java.util.List;
import java.util.Map;

/** TLS match conditions; sniHosts is required. */
public record TLSMatchAttributes(
    List<String> sniHosts,
    List<String> destinationSubnets,
    int port,
    Map<String, String> sourceLabels,
    List<String> gateways,
    String sourceNamespace) {}
