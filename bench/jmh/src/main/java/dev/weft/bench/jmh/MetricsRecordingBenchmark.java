package dev.weft.bench.jmh;

import dev.weft.proxy.stats.Stats;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The stats one proxied request records (downstream total, active up and down, response class, upstream total)
 * with {@link Stats}: through handles resolved at config time, as the proxy does, and by name per request, the
 * cost the handles avoid.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MetricsRecordingBenchmark {

    private Stats stats;
    private LongAdder requests;
    private LongAdder active;
    private LongAdder responses2xx;
    private LongAdder upstreamRequests;

    @Setup
    public void resolve() {
        stats = new Stats();
        for (int i = 0; i < 1000; i++) {
            stats.counter("cluster.outbound|8080||service-" + i + ".default.svc.cluster.local.upstream_rq_total");
        }
        requests = stats.counter("http.outbound_0.0.0.0_8080.downstream_rq_total");
        active = stats.gauge("http.outbound_0.0.0.0_8080.downstream_rq_active");
        responses2xx = stats.counter("http.outbound_0.0.0.0_8080.downstream_rq_2xx");
        upstreamRequests = stats.counter("cluster.outbound|8080||service-777.default.svc.cluster.local.upstream_rq_total");
    }

    @Benchmark
    public void recordThroughHandles() {
        requests.increment();
        active.increment();
        upstreamRequests.increment();
        responses2xx.increment();
        active.decrement();
    }

    @Benchmark
    public void recordByName() {
        stats.counter("http.outbound_0.0.0.0_8080.downstream_rq_total").increment();
        stats.gauge("http.outbound_0.0.0.0_8080.downstream_rq_active").increment();
        stats.counter("cluster.outbound|8080||service-777.default.svc.cluster.local.upstream_rq_total").increment();
        stats.counter("http.outbound_0.0.0.0_8080.downstream_rq_2xx").increment();
        stats.gauge("http.outbound_0.0.0.0_8080.downstream_rq_active").decrement();
    }
}
