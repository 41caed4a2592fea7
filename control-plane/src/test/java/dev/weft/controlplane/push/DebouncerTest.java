package dev.weft.controlplane.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DebouncerTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final Debouncer<Integer> debouncer =
            new Debouncer<>(Duration.ofMillis(100), Duration.ofSeconds(1), Integer::sum);

    private static Instant at(long millis) {
        return T0.plusMillis(millis);
    }

    @Test
    void nothingPendingNothingDue() {
        assertThat(debouncer.deadline()).isEmpty();
        assertThat(debouncer.takeIfDue(at(5_000))).isEmpty();
    }

    @Test
    void firesAfterTheQuietPeriodWithTheMergedBurst() {
        debouncer.offer(1, at(0));
        debouncer.offer(2, at(50));
        debouncer.offer(3, at(90));

        assertThat(debouncer.deadline()).contains(at(190));
        assertThat(debouncer.takeIfDue(at(189))).isEmpty();
        assertThat(debouncer.takeIfDue(at(190))).contains(6);
        assertThat(debouncer.deadline()).isEmpty();
    }

    @Test
    void steadyStreamOfEventsStillFiresAtMaxDelay() {
        for (int t = 0; t < 1_000; t += 50) {
            debouncer.offer(1, at(t));
            assertThat(debouncer.takeIfDue(at(t))).isEmpty();
        }
        debouncer.offer(1, at(999));

        assertThat(debouncer.deadline()).contains(at(1_000));
        assertThat(debouncer.takeIfDue(at(1_000))).contains(21);
    }

    @Test
    void aNewBurstStartsAfterAFire() {
        debouncer.offer(1, at(0));
        assertThat(debouncer.takeIfDue(at(100))).contains(1);

        debouncer.offer(5, at(2_000));

        assertThat(debouncer.deadline()).contains(at(2_100));
        assertThat(debouncer.takeIfDue(at(2_100))).contains(5);
    }

    @Test
    void rejectsNegativeDurations() {
        assertThatThrownBy(() -> new Debouncer<Integer>(Duration.ofMillis(-1), Duration.ZERO, Integer::sum))
                .hasMessageContaining("must not be negative");
    }
}
