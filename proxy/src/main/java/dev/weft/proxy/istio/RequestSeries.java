package dev.weft.proxy.istio;

/**
 * The counts of one label set on one event loop: requests, and the duration and size histograms with Envoy's default
 * buckets (Istio's); or, for a TCP label set, connections opened and closed and the bytes each way. Written only by its event loop; read by a scrape only through {@link #copy()} run on that loop.
 */
final class RequestSeries {

    /** Envoy's default histogram bucket bounds, which Istio's distributions use. */
    static final double[] BOUNDS = {0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000,
        300000, 600000, 1800000, 3600000};

    long requests;
    final long[] durationBuckets = new long[BOUNDS.length];
    double durationSum;
    final long[] requestBytesBuckets = new long[BOUNDS.length];
    long requestBytesSum;
    final long[] responseBytesBuckets = new long[BOUNDS.length];
    long responseBytesSum;
    long requestMessages;
    long responseMessages;
    long tcpOpened;
    long tcpClosed;
    long tcpSentBytes;
    long tcpReceivedBytes;

    void record(double durationMillis, long requestBytes, long responseBytes) {
        requests++;
        durationSum += durationMillis;
        count(durationBuckets, durationMillis);
        requestBytesSum += requestBytes;
        count(requestBytesBuckets, requestBytes);
        responseBytesSum += responseBytes;
        count(responseBytesBuckets, responseBytes);
    }

    /** Non-cumulative: the first bucket whose bound is at least the value; above every bound, none. */
    private static void count(long[] buckets, double value) {
        for (int i = 0; i < BOUNDS.length; i++) {
            if (value <= BOUNDS[i]) {
                buckets[i]++;
                return;
            }
        }
    }

    RequestSeries copy() {
        RequestSeries c = new RequestSeries();
        c.add(this);
        return c;
    }

    void add(RequestSeries other) {
        requests += other.requests;
        durationSum += other.durationSum;
        requestBytesSum += other.requestBytesSum;
        responseBytesSum += other.responseBytesSum;
        requestMessages += other.requestMessages;
        responseMessages += other.responseMessages;
        tcpOpened += other.tcpOpened;
        tcpClosed += other.tcpClosed;
        tcpSentBytes += other.tcpSentBytes;
        tcpReceivedBytes += other.tcpReceivedBytes;
        for (int i = 0; i < BOUNDS.length; i++) {
            durationBuckets[i] += other.durationBuckets[i];
            requestBytesBuckets[i] += other.requestBytesBuckets[i];
            responseBytesBuckets[i] += other.responseBytesBuckets[i];
        }
    }
}
