package dev.weft.cli.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.weft.cli.metrics.HistogramQuantile.Bucket;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Expected values worked out by hand with Prometheus's histogram_quantile algorithm. */
class HistogramQuantileTest {

  private static final double INF = Double.POSITIVE_INFINITY;

  /** 10 observations up to 1, 10 more up to 5, 20 more up to 10, none above. */
  private static final List<Bucket> FORTY = List.of(new Bucket(10, 40), new Bucket(1, 10), new Bucket(5, 20),
      new Bucket(INF, 40));

  @Test
  void interpolatesLinearlyInsideTheBucketTheRankFallsIn() {
    // rank 20 is the top of the (1, 5] bucket
    assertThat(HistogramQuantile.of(0.5, FORTY)).isEqualTo(5);
    // rank 30: 10 of the 20 observations of (5, 10] -> halfway
    assertThat(HistogramQuantile.of(0.75, FORTY)).isEqualTo(7.5);
    // rank 39.6: 19.6 of 20 in (5, 10]
    assertThat(HistogramQuantile.of(0.99, FORTY)).isCloseTo(9.9, within(1e-9));
    // rank 4 in the first bucket, which starts at 0
    assertThat(HistogramQuantile.of(0.1, FORTY)).isCloseTo(0.4, within(1e-9));
  }

  @Test
  void aRankInTheInfiniteBucketIsTheHighestFiniteBound() {
    List<Bucket> buckets = List.of(new Bucket(1, 1), new Bucket(5, 2), new Bucket(INF, 10));

    assertThat(HistogramQuantile.of(0.99, buckets)).isEqualTo(5);
  }

  @Test
  void noObservationsOrNoInfiniteBucketIsNaN() {
    assertThat(HistogramQuantile.of(0.5, List.of(new Bucket(1, 0), new Bucket(INF, 0)))).isNaN();
    assertThat(HistogramQuantile.of(0.5, List.of(new Bucket(1, 3), new Bucket(2, 3)))).isNaN();
    assertThat(HistogramQuantile.of(0.5, List.of(new Bucket(INF, 3)))).isNaN();
    assertThat(HistogramQuantile.of(0.5, List.of())).isNaN();
  }

  @Test
  void quantilesOutsideZeroToOneAreTheInfinities() {
    assertThat(HistogramQuantile.of(-0.1, FORTY)).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(HistogramQuantile.of(1.1, FORTY)).isEqualTo(INF);
  }

  @Test
  void aCountThatFallsBetweenBucketsIsTreatedAsTheLargerOneBefore() {
    // 12 > 11: the (1, 2] bucket is read as 12, so rank 6 falls in the first bucket
    List<Bucket> torn = List.of(new Bucket(1, 12), new Bucket(2, 11), new Bucket(INF, 12));

    assertThat(HistogramQuantile.of(0.5, torn)).isCloseTo(0.5, within(1e-9));
  }
}
