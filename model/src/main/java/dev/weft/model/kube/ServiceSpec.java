package dev.weft.model.kube;

import java.util.List;
import java.util.Map;

/** Service spec (core/v1): ports, selector and cluster IP. */
public record ServiceSpec(
    List<ServicePort> ports,
    Map<String, String> selector,
    String clusterIP,
    List<String> clusterIPs,
    String type,
    String externalName) {}
