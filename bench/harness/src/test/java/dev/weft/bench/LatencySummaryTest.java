package dev.weft.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class LatencySummaryTest {

    @Test
    void nearestRankPercentilesInMicroseconds() {
        long[] nanos = LongStream.rangeClosed(1, 1000).map(i -> i * 1_000).toArray();
        LongStream.range(0, nanos.length / 2).forEach(i -> {
            long t = nanos[(int) i];
            nanos[(int) i] = nanos[nanos.length - 1 - (int) i];
            nanos[nanos.length - 1 - (int) i] = t;
        });

        assertThat(LatencySummary.ofNanos(nanos)).isEqualTo(new LatencySummary(1000, 500, 900, 990, 1000));
    }

    @Test
    void noSamplesGiveNoPercentiles() {
        LatencySummary empty = LatencySummary.ofNanos(new long[0]);

        assertThat(empty.count()).isZero();
        assertThat(empty.p99Micros()).isNaN();
    }
}
