package dev.weft.xds.cluster;

/** Istio's cluster naming: {@code outbound|9080|v1|reviews.default.svc.cluster.local}, {@code inbound|9080||}. */
public final class ClusterNames {

    public static final String BLACKHOLE = "BlackHoleCluster";
    public static final String PASSTHROUGH = "PassthroughCluster";

    private ClusterNames() {
    }

    public static String outbound(int port, String subset, String host) {
        return "outbound|" + port + "|" + (subset == null ? "" : subset) + "|" + host;
    }

    /**
     * The SNI-DNAT form, {@code outbound_.9080_.v1_.reviews.default.svc.cluster.local}: the SNI a sidecar sends with
     * Istio's mTLS, and the name of the cluster an AUTO_PASSTHROUGH gateway forwards it to.
     */
    public static String sniDnat(int port, String subset, String host) {
        return "outbound_." + port + "_." + (subset == null ? "" : subset) + "_." + host;
    }

    public static String inbound(int port) {
        return "inbound|" + port + "||";
    }
}
