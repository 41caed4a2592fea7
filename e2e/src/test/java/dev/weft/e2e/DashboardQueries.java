package dev.weft.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The PromQL of Istio's own Grafana dashboards (../shared/istio/corpus/manifests/addons/dashboards), with Grafana's
 * variables filled in as a user picking one service or workload would: every other variable is "All" ({@code .*}),
 * the reporter is {@code destination} and {@code $__rate_interval} one minute.
 */
final class DashboardQueries {

  static final Path DASHBOARDS = Weft.REPOSITORY.resolve("../shared/istio/corpus/manifests/addons/dashboards")
      .normalize();

  record Query(String dashboard, String promql) {}

  /** Why a query may rightly be empty on the Bookinfo demo: a known gap or traffic the demo does not have. */
  private static final Map<String, String> EMPTY_BECAUSE = new TreeMap<>(Map.ofEntries(
      Map.entry("istio_tcp_", "Bookinfo has no TCP traffic (TcpTrafficShiftingTaskTest checks the TCP series)"),
      Map.entry("istio_request_messages_total", "Bookinfo has no gRPC traffic (GrpcIntegrationTest counts messages)"),
      Map.entry("istio_response_messages_total", "Bookinfo has no gRPC traffic (GrpcIntegrationTest counts messages)"),
      Map.entry("go_memstats", "weftd is a JVM: it serves jvm_* and process_* metrics instead"),
      Map.entry("go_goroutines", "weftd is a JVM: it serves jvm_* and process_* metrics instead"),
      Map.entry("container_", "a Kubernetes (cAdvisor) metric"),
      Map.entry("pilot_k8s_", "no Kubernetes config source yet"),
      Map.entry("sidecar_injection_", "no sidecar injector yet"),
      Map.entry("galley_validation_failed", "no config was rejected"),
      Map.entry("connection_security_policy!=\"mutual_tls\"", "all the demo's traffic is mutual TLS"),
      Map.entry("destination_principal!~\"spiffe.*\"", "all the demo's traffic is mutual TLS"),
      Map.entry("reporter=\"source\", connection_security_policy=\"mutual_tls\"",
          "Istio labels connection_security_policy on destination reports only (unknown on source ones): "
              + "this panel is empty under Istio too"),
      Map.entry("response_code=~\"5..\"", "no request failed"),
      Map.entry("response_code=~\"4..\"", "no request was refused")));

  private DashboardQueries() {
  }

  /** Every panel query of each dashboard, with its variables replaced ({@code choices} per dashboard). */
  static List<Query> of(Map<String, Map<String, String>> choices) {
    List<Query> queries = new ArrayList<>();
    choices.forEach((file, chosen) -> {
      try {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARDS.resolve(file).toFile());
        for (JsonNode expr : dashboard.findValues("expr")) {
          if (expr.isTextual() && !expr.asText().isBlank()) {
            queries.add(new Query(file, substitute(expr.asText(), chosen)));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    return queries;
  }

  static Optional<String> whyEmpty(String promql) {
    return EMPTY_BECAUSE.entrySet().stream().filter(e -> promql.contains(e.getKey())).map(Map.Entry::getValue)
        .findFirst();
  }

  private static String substitute(String expr, Map<String, String> chosen) {
    String result = expr.replace("$__rate_interval", "1m").replace("${__rate_interval}", "1m")
        .replace("$__interval", "1m");
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\$\\{?(\\w+)}?").matcher(result);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      String value = chosen.getOrDefault(name, name.equals("qrep") ? "destination" : ".*");
      m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }
}
