package dev.weft.cli.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per destination service, what the destination-side proxies counted between two scrapes of
 * {@code istio_requests_total} and {@code istio_request_duration_milliseconds_bucket}: the request rate, the share
 * not answered 5xx, and latency quantiles (as {@code rate()} then {@code histogram_quantile} would give over the same
 * window). A counter that went down was reset (its proxy restarted): its new value is what it counted since.
 */
public final class ServiceTraffic {

  static final String REQUESTS = "istio_requests_total";
  static final String DURATION_BUCKETS = "istio_request_duration_milliseconds_bucket";

  /** One service's line of {@code weft top}; success and the latencies are NaN without requests. */
  public record Row(String service, double requestsPerSecond, double successRate, double p50Millis,
      double p99Millis) {}

  private ServiceTraffic() {}

  /** Whether {@code weft top} needs a metric of this name. */
  public static boolean wanted(String metric) {
    return metric.equals(REQUESTS) || metric.equals(DURATION_BUCKETS);
  }

  /**
   * The rows, by service name, from the samples of every proxy scraped at the start and at the end of
   * {@code window}. Samples are matched by proxy (the key of both maps) and labels; a proxy missing from
   * {@code before} is left out.
   */
  public static List<Row> between(Map<String, List<Sample>> before, Map<String, List<Sample>> after, Duration window) {
    Map<String, Double> requests = new TreeMap<>();
    Map<String, Double> failures = new HashMap<>();
    Map<String, Map<Double, Double>> buckets = new HashMap<>();
    for (Map.Entry<String, List<Sample>> proxy : after.entrySet()) {
      if (!before.containsKey(proxy.getKey())) {
        // Not scraped at the start of the window: what it counted before is unknown.
        continue;
      }
      Map<Series, Double> earlier = bySeries(before.get(proxy.getKey()));
      for (Sample sample : proxy.getValue()) {
        if (!sample.label("reporter").equals("destination")) {
          continue;
        }
        String service = service(sample);
        double increase = increase(earlier.get(new Series(sample.name(), sample.labels())), sample.value());
        if (sample.name().equals(REQUESTS)) {
          requests.merge(service, increase, Double::sum);
          if (sample.label("response_code").startsWith("5")) {
            failures.merge(service, increase, Double::sum);
          }
        } else if (sample.name().equals(DURATION_BUCKETS)) {
          buckets.computeIfAbsent(service, s -> new HashMap<>())
              .merge(PrometheusText.number(sample.label("le")), increase, Double::sum);
        }
      }
    }
    double seconds = window.toNanos() / 1e9;
    List<Row> rows = new ArrayList<>();
    requests.forEach((service, count) -> {
      List<HistogramQuantile.Bucket> histogram = buckets.getOrDefault(service, Map.of()).entrySet().stream()
          .map(e -> new HistogramQuantile.Bucket(e.getKey(), e.getValue())).toList();
      double success = count == 0 ? Double.NaN : 1 - failures.getOrDefault(service, 0.0) / count;
      rows.add(new Row(service, count / seconds, success, HistogramQuantile.of(0.5, histogram),
          HistogramQuantile.of(0.99, histogram)));
    });
    return rows;
  }

  private record Series(String name, Map<String, String> labels) {}

  private static Map<Series, Double> bySeries(List<Sample> samples) {
    Map<Series, Double> values = new HashMap<>();
    samples.forEach(s -> values.put(new Series(s.name(), s.labels()), s.value()));
    return values;
  }

  private static double increase(Double before, double now) {
    if (before == null) {
      // A series born inside the window counted everything it shows in it.
      return now;
    }
    return now < before ? now : now - before;
  }

  /** {@code name.namespace} of the destination service, or the whole host when the labels lack a name. */
  private static String service(Sample sample) {
    String name = sample.label("destination_service_name");
    return name.isEmpty() ? sample.label("destination_service")
        : name + "." + sample.label("destination_service_namespace");
  }
}
