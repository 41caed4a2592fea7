package dev.weft.bench;

/**
 * The measured loads, in the order they run against each system. The first run after a system's proxies start is
 * also their warm-up (a JVM's JIT needs traffic before it is fast; this shows how much). Constant-rate runs come
 * before the maximum-load runs so that RSS "at 1,000 rps" is not inflated by heap grown at maximum load.
 * Two-hop scenarios run on a fresh pair of the system's proxies after its one-hop scenarios, in {@link Topology}
 * order.
 */
enum Scenario {
    HTTP1_COLD_C16("http1-cold-c16", Topology.ONE_HOP, Load.WRK, 16, null),
    HTTP1_RATE_C16("http1-rate-c16", Topology.ONE_HOP, Load.CONSTANT_RATE, 16, null),
    HTTP1_RATE_C64("http1-rate-c64", Topology.ONE_HOP, Load.CONSTANT_RATE, 64, null),
    HTTP1_MAX_C16("http1-max-c16", Topology.ONE_HOP, Load.WRK, 16, null),
    HTTP1_MAX_C64("http1-max-c64", Topology.ONE_HOP, Load.WRK, 64, null),
    /** HTTP/2's own warm-up: the JIT compiles the HTTP/2 path only when HTTP/2 traffic arrives. */
    HTTP2_COLD_C16("http2-cold-c16-m10", Topology.ONE_HOP, Load.H2LOAD, 16, null),
    HTTP2_MAX_C16("http2-max-c16-m10", Topology.ONE_HOP, Load.H2LOAD, 16, null),
    GRPC_UNARY_C4_M4("grpc-unary-c4-m4", Topology.ONE_HOP, Load.GRPC, 4, null),
    TCP_C4("tcp-c4", Topology.ONE_HOP, Load.TCP, 4, null),
    MTLS_COLD_C16("mtls-cold-c16", Topology.TWO_HOPS_MTLS, Load.WRK, 16, HTTP1_COLD_C16),
    MTLS_RATE_C16("mtls-rate-c16", Topology.TWO_HOPS_MTLS, Load.CONSTANT_RATE, 16, HTTP1_RATE_C16),
    MTLS_MAX_C16("mtls-max-c16", Topology.TWO_HOPS_MTLS, Load.WRK, 16, HTTP1_MAX_C16),
    MTLS_MAX_C64("mtls-max-c64", Topology.TWO_HOPS_MTLS, Load.WRK, 64, HTTP1_MAX_C64),
    PLAIN2_COLD_C16("plain2-cold-c16", Topology.TWO_HOPS_PLAIN, Load.WRK, 16, HTTP1_COLD_C16),
    PLAIN2_RATE_C16("plain2-rate-c16", Topology.TWO_HOPS_PLAIN, Load.CONSTANT_RATE, 16, HTTP1_RATE_C16),
    PLAIN2_MAX_C64("plain2-max-c64", Topology.TWO_HOPS_PLAIN, Load.WRK, 64, HTTP1_MAX_C64);

    enum Load { CONSTANT_RATE, WRK, H2LOAD, GRPC, TCP }

    private final String id;
    private final Topology topology;
    private final Load load;
    private final int connections;
    private final Scenario directEquivalent;

    Scenario(String id, Topology topology, Load load, int connections, Scenario directEquivalent) {
        this.id = id;
        this.topology = topology;
        this.load = load;
        this.connections = connections;
        this.directEquivalent = directEquivalent;
    }

    /** The cold runs last the warm-up time; every other run the measurement time. */
    boolean isWarmUp() {
        return this == HTTP1_COLD_C16 || this == HTTP2_COLD_C16 || this == MTLS_COLD_C16 || this == PLAIN2_COLD_C16;
    }

    /**
     * What direct runs in this scenario's place: without a proxy, a two-hop load is the one-hop load to the same
     * upstream, so direct measures it once and every topology compares against that.
     */
    Scenario direct() {
        return directEquivalent == null ? this : directEquivalent;
    }

    String id() {
        return id;
    }

    Topology topology() {
        return topology;
    }

    Load load() {
        return load;
    }

    int connections() {
        return connections;
    }

    static Scenario byId(String id) {
        for (Scenario s : values()) {
            if (s.id.equals(id)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown scenario " + id);
    }
}
