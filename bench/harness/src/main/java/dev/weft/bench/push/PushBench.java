package dev.weft.bench.push;

import dev.weft.bench.HostFacts;
import dev.weft.bench.LatencySummary;
import dev.weft.bench.ProcessTree;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Connects N simulated sidecars to a fresh weftd, waits until every one has ACKed routes and endpoints, then changes
 * one VirtualService and times each sidecar's ACK of the new routes. Also reads weftd's live heap before and after
 * the fleet connects, and its CPU for the initial sync and for the push.
 */
final class PushBench {

    private static final String[][] WORKLOADS = {
        {"productpage", "v1"}, {"details", "v1"}, {"reviews", "v1"}, {"reviews", "v2"}, {"reviews", "v3"},
        {"ratings", "v1"}};
    private static final int STREAMS_PER_CHANNEL = 100;
    private static final int STREAM_WINDOW_BYTES = 256 * 1024;

    private final PushSettings settings;

    PushBench(PushSettings settings) {
        this.settings = settings;
    }

    PushResult run(int proxies) throws IOException, InterruptedException {
        Path configDir = Files.createDirectories(settings.workDir().resolve("push-config-" + proxies));
        Files.writeString(configDir.resolve("mesh.yaml"), MeshConfig.yaml(settings.extraServices()));
        try (WeftdProcess weftd = WeftdProcess.start(settings.weftdPinning(), settings.java(), settings.weftdClasspath(),
                settings.weftdJvmFlags(), configDir, settings.quietPeriod(), settings.maxDelay(),
                settings.workDir().resolve("weftd-" + proxies + ".log"))) {
            String loadBefore = HostFacts.loadAverage();
            ProcessTree weftdTree = new ProcessTree(weftd.pid());
            long heapBefore = weftd.liveHeapKb();
            long cpuStart = weftdTree.sample().cpuTicks();
            long syncStart = System.nanoTime();
            List<ManagedChannel> channels = new ArrayList<>();
            List<SimulatedProxy> fleet = new ArrayList<>();
            try {
                for (int i = 0; i < proxies; i++) {
                    if (i % STREAMS_PER_CHANNEL == 0) {
                        // A fixed 256 KB window per stream bounds what a sidecar buffers unread (the default grows
                        // to megabytes, and 10,000 of them exhausted this JVM's direct memory); weftd sends as each
                        // window allows.
                        channels.add(NettyChannelBuilder.forAddress("127.0.0.1", weftd.xdsPort()).usePlaintext()
                                .flowControlWindow(STREAM_WINDOW_BYTES).maxInboundMessageSize(64 * 1024 * 1024).build());
                    }
                    String[] w = WORKLOADS[i % WORKLOADS.length];
                    fleet.add(SimulatedProxy.connect(channels.getLast(), i, w[0], w[1]));
                }
                if (!await(settings.syncBound(), () -> fleet.stream().allMatch(SimulatedProxy::synced))) {
                    return failed(proxies, heapBefore, fleet, weftd.threads(), loadBefore,
                            "not every proxy synced within " + settings.syncBound());
                }
                double syncSeconds = (System.nanoTime() - syncStart) / 1e9;
                // Let the EDS pushes that each connecting sidecar's registration caused run out.
                LockSupport.parkNanos(settings.settle().toNanos());
                double cpuSync = ticksToSeconds(weftdTree.sample().cpuTicks() - cpuStart);
                long heapAfter = weftd.liveHeapKb();
                int threads = weftd.threads();

                List<String> versionsBefore = fleet.stream().map(SimulatedProxy::routeVersion).toList();
                long cpuBeforePush = weftdTree.sample().cpuTicks();
                long changed = System.nanoTime();
                apply(weftd.httpPort(), MeshConfig.reviewsSplit());
                BooleanSupplier allUpdated = () -> updatedCount(fleet, versionsBefore) == fleet.size();
                await(settings.pushBound(), allUpdated);
                double cpuPush = ticksToSeconds(weftdTree.sample().cpuTicks() - cpuBeforePush);

                long[] fromChange = new long[fleet.size()];
                long[] afterDebounce = new long[fleet.size()];
                int updated = 0;
                for (int i = 0; i < fleet.size(); i++) {
                    if (!fleet.get(i).routeVersion().equals(versionsBefore.get(i))) {
                        fromChange[updated] = fleet.get(i).routeAckNanos() - changed;
                        afterDebounce[updated] = fromChange[updated] - settings.quietPeriod().toNanos();
                        updated++;
                    }
                }
                return new PushResult(proxies, syncSeconds, heapBefore, heapAfter,
                        (heapAfter - heapBefore) / (double) proxies, cpuSync, cpuPush, updated,
                        LatencySummary.ofNanos(Arrays.copyOf(fromChange, updated)),
                        LatencySummary.ofNanos(Arrays.copyOf(afterDebounce, updated)),
                        settings.quietPeriod().toMillis(), settings.maxDelay().toMillis(), threads, loadBefore,
                        HostFacts.loadAverage(), updated == proxies ? null : (proxies - updated) + " proxies did not get the change within "
                                + settings.pushBound());
            } finally {
                fleet.forEach(SimulatedProxy::close);
                for (ManagedChannel c : channels) {
                    c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                }
            }
        }
    }

    private PushResult failed(int proxies, long heapBefore, List<SimulatedProxy> fleet, int threads, String loadBefore,
            String why) {
        long synced = fleet.stream().filter(SimulatedProxy::synced).count();
        String firstError = fleet.stream().map(SimulatedProxy::error).filter(Objects::nonNull).findFirst().orElse("none");
        return new PushResult(proxies, Double.NaN, heapBefore, 0, Double.NaN, Double.NaN, Double.NaN, 0,
                LatencySummary.ofNanos(new long[0]), LatencySummary.ofNanos(new long[0]),
                settings.quietPeriod().toMillis(), settings.maxDelay().toMillis(), threads, loadBefore,
                HostFacts.loadAverage(), why + " (" + synced + " synced; first stream error: " + firstError + ")");
    }

    private static int updatedCount(List<SimulatedProxy> fleet, List<String> before) {
        int n = 0;
        for (int i = 0; i < fleet.size(); i++) {
            if (!fleet.get(i).routeVersion().equals(before.get(i))) {
                n++;
            }
        }
        return n;
    }

    private double ticksToSeconds(long ticks) {
        return ticks / (double) settings.clockTicksPerSecond();
    }

    private static boolean await(Duration bound, BooleanSupplier condition) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            LockSupport.parkNanos(1_000_000);
        }
        return true;
    }

    private static void apply(int httpPort, String yaml) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + httpPort + "/apply")).POST(HttpRequest.BodyPublishers.ofString(yaml))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200 || !response.body().contains(MeshConfig.CHANGED_RESOURCE)) {
            throw new IllegalStateException("weftd did not accept the change: " + response.statusCode() + " "
                    + response.body());
        }
    }
}
