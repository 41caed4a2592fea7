package dev.weft.controlplane.ads;

import java.util.Arrays;
import java.util.Optional;

/**
 * The xDS resource types weftd serves, in the order a full push sends them (clusters before endpoints, listeners
 * before routes, then the secrets those name).
 */
public enum XdsType {
    CLUSTER("type.googleapis.com/envoy.config.cluster.v3.Cluster", "CDS"),
    ENDPOINT("type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment", "EDS"),
    LISTENER("type.googleapis.com/envoy.config.listener.v3.Listener", "LDS"),
    ROUTE("type.googleapis.com/envoy.config.route.v3.RouteConfiguration", "RDS"),
    SECRET("type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret", "SDS");

    private final String typeUrl;
    private final String shortName;

    XdsType(String typeUrl, String shortName) {
        this.typeUrl = typeUrl;
        this.shortName = shortName;
    }

    public String typeUrl() {
        return typeUrl;
    }

    public String shortName() {
        return shortName;
    }

    public static Optional<XdsType> fromTypeUrl(String typeUrl) {
        return Arrays.stream(values()).filter(t -> t.typeUrl.equals(typeUrl)).findFirst();
    }
}
