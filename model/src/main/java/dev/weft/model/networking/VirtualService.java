package dev.weft.model.networking;

import dev.weft.model.FqdnHost;
import java.util.List;

/** VirtualService spec: routing rules for traffic addressed to hosts. Hosts are FQDNs after loading. */
public record VirtualService(
    @FqdnHost List<String> hosts,
    List<String> gateways,
    List<HTTPRoute> http,
    List<TLSRoute> tls,
    List<TCPRoute> tcp,
    List<String> exportTo) {}
