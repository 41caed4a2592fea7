package dev.weft.cli.metrics;

import java.util.Comparator;
import java.util.List;

/**
 * Prometheus's {@code histogram_quantile}: the φ-quantile of cumulative buckets, interpolated linearly inside the
 * bucket the rank falls in, the first bucket starting at 0. A rank in the {@code +Inf} bucket answers the highest
 * finite bound; no observations, fewer than two buckets or no {@code +Inf} bucket answer NaN, as Prometheus does.
 */
public final class HistogramQuantile {

  /** A cumulative bucket: how many observations were at most {@code upperBound}. */
  public record Bucket(double upperBound, double count) {}

  private HistogramQuantile() {}

  public static double of(double quantile, List<Bucket> unsorted) {
    if (quantile < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (quantile > 1) {
      return Double.POSITIVE_INFINITY;
    }
    List<Bucket> buckets = unsorted.stream().sorted(Comparator.comparingDouble(Bucket::upperBound)).toList();
    if (buckets.size() < 2 || buckets.getLast().upperBound() != Double.POSITIVE_INFINITY) {
      return Double.NaN;
    }
    double[] counts = monotonic(buckets);
    double observations = counts[counts.length - 1];
    if (observations == 0) {
      return Double.NaN;
    }
    double rank = quantile * observations;
    int b = 0;
    while (counts[b] < rank) {
      b++;
    }
    if (b == buckets.size() - 1) {
      return buckets.get(b - 1).upperBound();
    }
    if (b == 0 && buckets.getFirst().upperBound() <= 0) {
      return buckets.getFirst().upperBound();
    }
    double start = b == 0 ? 0 : buckets.get(b - 1).upperBound();
    double end = buckets.get(b).upperBound();
    double before = b == 0 ? 0 : counts[b - 1];
    return start + (end - start) * ((rank - before) / (counts[b] - before));
  }

  /** Counts that never fall from one bucket to the next (a scrape between two increments can show that). */
  private static double[] monotonic(List<Bucket> buckets) {
    double[] counts = new double[buckets.size()];
    double max = 0;
    for (int i = 0; i < counts.length; i++) {
      max = Math.max(max, buckets.get(i).count());
      counts[i] = max;
    }
    return counts;
  }
}
