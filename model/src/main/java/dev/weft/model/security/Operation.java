package dev.weft.model.security;

import java.util.List;

/** Request operation attributes (HTTP fields apply to HTTP only). */
public record Operation(
    List<String> hosts,
    List<String> notHosts,
    List<String> ports,
    List<String> notPorts,
    List<String> methods,
    List<String> notMethods,
    List<String> paths,
    List<String> notPaths) {}
