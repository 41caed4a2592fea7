package dev.weft.bench.jmh;

import dev.weft.proxy.upstream.lb.LoadBalancer;
import dev.weft.proxy.upstream.lb.LoadBalancers;
import dev.weft.proxy.upstream.ClusterConfig;
import dev.weft.proxy.upstream.EndpointConfig;
import dev.weft.proxy.upstream.Host;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** One load-balancer pick per request, for each policy the proxy builds, over a few and over many endpoints. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LoadBalancerPickBenchmark {

    @Param({"ROUND_ROBIN", "LEAST_REQUEST", "RANDOM", "RING_HASH", "MAGLEV"})
    public ClusterConfig.LbPolicy policy;

    @Param({"3", "100"})
    public int endpoints;

    private LoadBalancer balancer;
    private long hash;

    @Setup
    public void build() throws UnknownHostException {
        List<Host> hosts = new ArrayList<>();
        for (int i = 0; i < endpoints; i++) {
            InetAddress ip = InetAddress.getByAddress(new byte[] {10, 0, (byte) (i / 250), (byte) (i % 250 + 1)});
            hosts.add(new Host(new EndpointConfig(ip.getHostAddress(), 8080, 1, 0, ""), new InetSocketAddress(ip, 8080)));
        }
        balancer = LoadBalancers.create(policy, hosts, 1024, new SplittableRandom(42));
    }

    @Benchmark
    public Host pick() {
        // A different hash each request, as per-request header hashing would give ring hash and Maglev.
        hash += 0x9E3779B97F4A7C15L;
        return balancer.choose(hash);
    }
}
