package dev.weft.bench;

import io.grpc.CallOptions;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop grpc-java load: a fixed number of h2c connections (prior knowledge, one channel each), each with a
 * fixed number of unary calls in flight; every completed call starts the next until the time or the call budget
 * runs out. Latency is from starting a call to its close.
 */
final class GrpcUnaryClient {

    private static final Duration CALL_DEADLINE = Duration.ofSeconds(5);
    private static final Executor ERROR_BACKOFF = CompletableFuture.delayedExecutor(10, TimeUnit.MILLISECONDS);
    private static final byte[] REQUEST = "weft-bench".getBytes(StandardCharsets.US_ASCII);

    record Result(long calls, long errors, double callsPerSecond, LatencySummary latency) {
    }

    private final InetSocketAddress target;

    GrpcUnaryClient(InetSocketAddress target) {
        this.target = target;
    }

    /** Runs for {@code duration} or until {@code maxCalls} calls have started, whichever comes first. */
    Result run(int connections, int callsPerConnection, Duration duration, long maxCalls) throws InterruptedException {
        List<ManagedChannel> channels = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            channels.add(Grpc.newChannelBuilderForAddress(target.getHostString(), target.getPort(),
                    InsecureChannelCredentials.create()).directExecutor().build());
        }
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        AtomicLong budget = new AtomicLong(maxCalls);
        CountDownLatch done = new CountDownLatch(connections * callsPerConnection);
        List<CallLoop> loops = new ArrayList<>();
        for (ManagedChannel channel : channels) {
            for (int j = 0; j < callsPerConnection; j++) {
                CallLoop loop = new CallLoop(channel, end, budget, done);
                loops.add(loop);
                loop.next();
            }
        }
        try {
            done.await(duration.plus(CALL_DEADLINE).plusSeconds(5).toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            channels.forEach(ManagedChannel::shutdownNow);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long errors = loops.stream().mapToLong(l -> l.errors).sum();
        long[] all = loops.stream().flatMapToLong(l -> Arrays.stream(l.latencies, 0, l.count)).toArray();
        return new Result(all.length, errors, all.length / seconds, LatencySummary.ofNanos(all));
    }

    /** One call slot: its calls run one after another, so its fields need no synchronisation beyond gRPC's own. */
    private static final class CallLoop implements StreamObserver<byte[]> {
        private final ManagedChannel channel;
        private final long end;
        private final AtomicLong budget;
        private final CountDownLatch done;
        private long[] latencies = new long[1024];
        private int count;
        private long errors;
        private long started;
        private boolean answered;

        CallLoop(ManagedChannel channel, long end, AtomicLong budget, CountDownLatch done) {
            this.channel = channel;
            this.end = end;
            this.budget = budget;
            this.done = done;
        }

        void next() {
            if (System.nanoTime() >= end || budget.getAndDecrement() <= 0) {
                done.countDown();
                return;
            }
            answered = false;
            started = System.nanoTime();
            ClientCalls.asyncUnaryCall(channel.newCall(GrpcBenchService.UNARY,
                    CallOptions.DEFAULT.withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)), REQUEST, this);
        }

        @Override
        public void onNext(byte[] response) {
            answered = response.length == Upstream.BODY_BYTES;
        }

        @Override
        public void onError(Throwable t) {
            errors++;
            // A failing channel can fail the next call at once, on this thread: back off instead of recursing.
            CompletableFuture.runAsync(this::next, ERROR_BACKOFF);
        }

        @Override
        public void onCompleted() {
            if (answered) {
                record(System.nanoTime() - started);
            } else {
                errors++;
            }
            next();
        }

        private void record(long nanos) {
            if (count == latencies.length) {
                latencies = Arrays.copyOf(latencies, count * 2);
            }
            latencies[count++] = nanos;
        }
    }
}
