package dev.weft.proxy.streaminfo;

/** Envoy's short response flags, as they appear in access logs and the {@code response_flags} metric label. */
public enum ResponseFlag {
    NO_HEALTHY_UPSTREAM("UH"),
    UPSTREAM_CONNECTION_FAILURE("UF"),
    UPSTREAM_OVERFLOW("UO"),
    NO_ROUTE_FOUND("NR"),
    UPSTREAM_RETRY_LIMIT_EXCEEDED("URX"),
    NO_CLUSTER_FOUND("NC"),
    UPSTREAM_REQUEST_TIMEOUT("UT"),
    LOCAL_RESET("LR"),
    UPSTREAM_REMOTE_RESET("UR"),
    UPSTREAM_CONNECTION_TERMINATION("UC"),
    DOWNSTREAM_CONNECTION_TERMINATION("DC"),
    DELAY_INJECTED("DI"),
    FAULT_INJECTED("FI"),
    RATE_LIMITED("RL"),
    STREAM_IDLE_TIMEOUT("SI"),
    DOWNSTREAM_PROTOCOL_ERROR("DPE"),
    UPSTREAM_PROTOCOL_ERROR("UPE"),
    DURATION_TIMEOUT("DT"),
    UNAUTHORIZED_EXTERNAL_SERVICE("UAEX"),
    DNS_RESOLUTION_FAILED("DF");

    private final String code;

    ResponseFlag(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    /** The flags in {@code bits} (one bit per ordinal), comma-joined, or "-" when none. */
    public static String format(int bits) {
        if (bits == 0) {
            return "-";
        }
        StringBuilder sb = new StringBuilder();
        for (ResponseFlag f : values()) {
            if ((bits & (1 << f.ordinal())) != 0) {
                if (!sb.isEmpty()) {
                    sb.append(',');
                }
                sb.append(f.code);
            }
        }
        return sb.toString();
    }

    public int bit() {
        return 1 << ordinal();
    }
}
