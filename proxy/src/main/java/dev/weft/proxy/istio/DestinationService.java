package dev.weft.proxy.istio;

/**
 * The service a request went to, as Istio's {@code destination_service}, {@code destination_service_name} and
 * {@code destination_service_namespace} label it.
 */
public record DestinationService(String host, String name, String namespace) {

    public static final DestinationService UNKNOWN = new DestinationService(WorkloadMetadata.UNKNOWN_VALUE,
            WorkloadMetadata.UNKNOWN_VALUE, WorkloadMetadata.UNKNOWN_VALUE);

    /**
     * From an upstream cluster's name: Istio's {@code outbound|9080|v1|reviews.default.svc.cluster.local} names the
     * host, whose first two labels are a Kubernetes service's name and namespace; any other cluster (BlackHoleCluster,
     * PassthroughCluster) is its own name, as in Istio's labels.
     */
    public static DestinationService ofCluster(String cluster) {
        if (cluster == null || cluster.isEmpty()) {
            return UNKNOWN;
        }
        String[] parts = cluster.split("\\|", -1);
        if (parts.length != 4 || parts[3].isEmpty()) {
            return new DestinationService(cluster, cluster, WorkloadMetadata.UNKNOWN_VALUE);
        }
        return ofHost(parts[3]);
    }

    /** A host name; {@code name.namespace.svc.<suffix>} is a Kubernetes service, others are their own name. */
    public static DestinationService ofHost(String host) {
        int svc = host.indexOf(".svc.");
        String[] labels = host.split("\\.");
        if (svc > 0 && labels.length >= 3 && labels[2].equals("svc")) {
            return new DestinationService(host, labels[0], labels[1]);
        }
        return new DestinationService(host, host, WorkloadMetadata.UNKNOWN_VALUE);
    }
}
