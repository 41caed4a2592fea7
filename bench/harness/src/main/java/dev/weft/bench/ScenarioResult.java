package dev.weft.bench;

/**
 * One scenario's measurement against one system in one round. CPU and RSS are the proxy's (null for direct);
 * latency only for constant-rate runs, MB/s only for TCP.
 */
record ScenarioResult(String scenario, String command, long requests, double requestsPerSecond, long errors,
        LatencySummary latency, Double megabytesPerSecond, Double cpuSeconds, Long peakRssKb) {

    /** CPU seconds the proxy spent per 1,000 requests, or null. */
    Double cpuSecondsPer1000Requests() {
        return cpuSeconds == null || requests == 0 ? null : cpuSeconds / requests * 1000;
    }
}
