package dev.weft.controlplane.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class DebouncedPusherTest {

    private static final Instant FIRST_CHANGE = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void burstBecomesOneMergedPush() {
        List<PushRequest> pushes = new CopyOnWriteArrayList<>();
        try (DebouncedPusher pusher = new DebouncedPusher(
                Duration.ofMillis(50), Duration.ofSeconds(5), Clock.systemUTC(), pushes::add)) {
            pusher.request(PushRequest.endpointsOnly("we a", FIRST_CHANGE.plusSeconds(1)));
            pusher.request(PushRequest.full("vs b", FIRST_CHANGE));
            pusher.request(PushRequest.endpointsOnly("we c", FIRST_CHANGE.plusSeconds(2)));

            await().atMost(Duration.ofSeconds(5)).until(() -> !pushes.isEmpty());
        }
        assertThat(pushes).hasSize(1);
        assertThat(pushes.get(0).full()).isTrue();
        assertThat(pushes.get(0).reasons()).containsExactlyInAnyOrder("we a", "vs b", "we c");
        assertThat(pushes.get(0).start()).as("convergence counts from the burst's earliest change")
                .isEqualTo(FIRST_CHANGE);
    }

    @Test
    void endpointOnlyBurstStaysEndpointOnly() {
        List<PushRequest> pushes = new CopyOnWriteArrayList<>();
        try (DebouncedPusher pusher = new DebouncedPusher(
                Duration.ZERO, Duration.ZERO, Clock.systemUTC(), pushes::add)) {
            pusher.request(PushRequest.endpointsOnly("we a", FIRST_CHANGE));
            await().atMost(Duration.ofSeconds(5)).until(() -> pushes.size() == 1);
        }
        assertThat(pushes.get(0).full()).isFalse();
    }

    @Test
    void isBusyFromTheRequestUntilItsPushHasRun() {
        List<PushRequest> pushes = new CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        try (DebouncedPusher pusher = new DebouncedPusher(Duration.ZERO, Duration.ZERO, Clock.systemUTC(), request -> {
            pushes.add(request);
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        })) {
            assertThat(pusher.idle()).as("nothing asked yet").isTrue();
            pusher.request(PushRequest.full("vs a", FIRST_CHANGE));
            assertThat(pusher.idle()).as("asked, not yet pushed").isFalse();
            await().atMost(Duration.ofSeconds(5)).until(() -> pushes.size() == 1);
            assertThat(pusher.idle()).as("being pushed").isFalse();
            release.countDown();
            await().atMost(Duration.ofSeconds(5)).until(pusher::idle);
        }
    }
}
