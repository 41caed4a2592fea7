package dev.weft.bench;

/**
 * One scenario's measurement against one system in one round. CPU is summed over the system's proxies (both
 * sidecars in a two-hop scenario); peak RSS and PSS (read as the run ends) are per proxy, the larger of the two
 * sidecars. All three are null for direct; latency only for constant-rate and gRPC runs, MB/s only for TCP.
 */
record ScenarioResult(String scenario, String command, long requests, double requestsPerSecond, long errors,
        LatencySummary latency, Double megabytesPerSecond, Double cpuSeconds, Long peakRssKb, Long pssKb) {

    /** CPU seconds the proxies spent per 1,000 requests, or null. */
    Double cpuSecondsPer1000Requests() {
        return cpuSeconds == null || requests == 0 ? null : cpuSeconds / requests * 1000;
    }
}
