package dev.weft.bench;

/**
 * The measured loads, in the order they run against each system. The first, right after start, is also the
 * warm-up (a JVM's JIT needs traffic before it is fast; this shows how much). Constant-rate runs come before the
 * maximum-load runs so that RSS "at 1,000 rps" is not inflated by heap grown at maximum load.
 */
enum Scenario {
    HTTP1_COLD_C16("http1-cold-c16", Load.WRK, 16),
    HTTP1_RATE_C16("http1-rate-c16", Load.CONSTANT_RATE, 16),
    HTTP1_RATE_C64("http1-rate-c64", Load.CONSTANT_RATE, 64),
    HTTP1_MAX_C16("http1-max-c16", Load.WRK, 16),
    HTTP1_MAX_C64("http1-max-c64", Load.WRK, 64),
    HTTP2_MAX_C16("http2-max-c16-m10", Load.H2LOAD, 16),
    TCP_C4("tcp-c4", Load.TCP, 4);

    enum Load { CONSTANT_RATE, WRK, H2LOAD, TCP }

    private final String id;
    private final Load load;
    private final int connections;

    Scenario(String id, Load load, int connections) {
        this.id = id;
        this.load = load;
        this.connections = connections;
    }

    /** The cold run lasts the warm-up time; every other run the measurement time. */
    boolean isWarmUp() {
        return this == HTTP1_COLD_C16;
    }

    String id() {
        return id;
    }

    Load load() {
        return load;
    }

    int connections() {
        return connections;
    }
}
