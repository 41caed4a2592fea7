package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.cli.local.AddressPlan;
import dev.weft.cli.local.ProxyBootstrap;
import dev.weft.cli.local.WorkloadAddress;
import dev.weft.cli.local.WorkloadSpec;
import dev.weft.controlplane.Weftd;
import dev.weft.controlplane.WeftdOptions;
import dev.weft.proxy.bootstrap.BootstrapLoader;
import dev.weft.proxy.bootstrap.BootstrapResult;
import dev.weft.proxy.server.ProxyOptions;
import dev.weft.proxy.server.ProxyServer;
import dev.weft.testing.tls.TestPki;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code weft proxy-config} on a real sidecar that got its config from a real weftd. */
class ProxyConfigCommandTest {

  private static final WorkloadSpec REVIEWS = new WorkloadSpec("reviews-v1", "default", "bookinfo-reviews",
      Map.of("app", "reviews", "version", "v1"), List.of(9080),
      new WorkloadSpec.JavaMain("dev.weft.examples.SampleApps", List.of("reviews")), Map.of(), Optional.empty(),
      false);

  static final String CONFIG = """
      apiVersion: v1
      kind: Service
      metadata:
        name: ratings
        namespace: default
      spec:
        selector: {app: ratings}
        ports:
        - name: http
          port: 9080
      ---
      apiVersion: networking.istio.io/v1
      kind: DestinationRule
      metadata:
        name: ratings
        namespace: default
      spec:
        host: ratings
        subsets:
        - name: v1
          labels: {version: v1}
      ---
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata:
        name: ratings
        namespace: default
      spec:
        hosts: [ratings]
        http:
        - route:
          - destination: {host: ratings, subset: v1}
      """;

  /** The reviews-v1 sidecar as {@code weft up} configures it, the {@code index}-th workload, fed by {@code weftd}. */
  record Sidecar(ProxyServer proxy, String admin, WorkloadAddress address) implements AutoCloseable {

    static Sidecar of(Weftd weftd, int index) {
      WorkloadAddress address = new AddressPlan(AddressPlan.Mode.ADDRESSES, 10).workload(index, REVIEWS.ports());
      String yaml = ProxyBootstrap.yaml(ProxyBootstrap.sidecar(REVIEWS, address),
          ProxyBootstrap.XdsServer.plaintext(weftd.xdsPort()));
      var bootstrap = ((BootstrapResult.Valid) new BootstrapLoader().parse(yaml)).bootstrap();
      var adminAddress = bootstrap.getAdmin().getAddress().getSocketAddress();
      return new Sidecar(ProxyServer.start(bootstrap, ProxyOptions.defaults().withWorkerThreads(1)),
          "http://" + adminAddress.getAddress() + ":" + adminAddress.getPortValue(), address);
    }

    @Override
    public void close() {
      proxy.close();
    }
  }

  @Test
  void showsListenersRoutesClustersAndEndpointsAsTablesAndJson(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("ratings.yaml"), CONFIG);
    try (Weftd weftd = Weftd.start(WeftdOptions.defaults().withPorts(0, 0).withConfigDir(dir));
        Sidecar sidecar = Sidecar.of(weftd, 2)) {
      String admin = sidecar.admin();
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(CliRun.of("proxy-config", "routes", "--admin", admin).out()).contains("ratings"));

      CliRun clusters = CliRun.of("proxy-config", "clusters", "--admin", admin);
      assertThat(clusters.exitCode()).as(clusters.err()).isZero();
      assertThat(clusters.out()).contains("SERVICE FQDN")
          .containsPattern("ratings\\.default\\.svc\\.cluster\\.local +9080 +v1 +outbound +EDS");

      CliRun listeners = CliRun.of("proxy-config", "listeners", "--admin", admin);
      assertThat(listeners.out()).contains("local-outbound").contains("http_connection_manager");

      CliRun routes = CliRun.of("proxy-config", "routes", "--admin", admin);
      assertThat(routes.out()).contains("VHOST NAME").contains("VIRTUAL SERVICE")
          .containsPattern("ratings\\.default\\.svc\\.cluster\\.local:9080 .* ratings\\.default +"
              + "outbound\\|9080\\|v1\\|ratings\\.default\\.svc\\.cluster\\.local");

      CliRun endpoints = CliRun.of("proxy-config", "endpoints", "--admin", admin);
      assertThat(endpoints.exitCode()).isZero();
      assertThat(endpoints.out()).startsWith("ENDPOINT");

      CliRun json = CliRun.of("proxy-config", "clusters", "--admin", admin, "-o", "json");
      JsonNode parsed = new ObjectMapper().readTree(json.out());
      assertThat(parsed.findValuesAsText("name")).contains("outbound|9080|v1|ratings.default.svc.cluster.local");
    }
  }

  private static final String AUTHORIZATION = """
      apiVersion: v1
      kind: Service
      metadata:
        name: reviews
        namespace: default
      spec:
        selector: {app: reviews}
        ports:
        - name: http
          port: 9080
      ---
      apiVersion: security.istio.io/v1
      kind: AuthorizationPolicy
      metadata:
        name: allow-get
        namespace: default
      spec:
        selector: {matchLabels: {app: reviews}}
        action: ALLOW
        rules:
        - to: [{operation: {methods: [GET]}}]
      ---
      apiVersion: security.istio.io/v1
      kind: AuthorizationPolicy
      metadata:
        name: deny-admin
        namespace: default
      spec:
        selector: {matchLabels: {app: reviews}}
        action: DENY
        rules:
        - to: [{operation: {paths: [/admin*]}}]
      """;

  @Test
  void authzNamesTheRuleThatAllowedOrDeniedEachRequest(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("policies.yaml"), AUTHORIZATION);
    try (Weftd weftd = Weftd.start(WeftdOptions.defaults().withPorts(0, 0).withConfigDir(dir));
        Sidecar sidecar = Sidecar.of(weftd, 3)) {
      String admin = sidecar.admin();
      WorkloadAddress address = sidecar.address();
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(CliRun.of("proxy-config", "authz", "--admin", admin).out()).contains("deny-admin.default"));
      HttpClient client = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
      String inbound = address.url(address.ports().getFirst().proxy());
      assertThat(status(client, "GET", inbound + "/reviews/1")).as("allowed; no app behind it").isNotEqualTo(403);
      assertThat(status(client, "POST", inbound + "/reviews/1")).isEqualTo(403);
      assertThat(status(client, "GET", inbound + "/admin/users")).isEqualTo(403);

      CliRun table = CliRun.of("proxy-config", "authz", "--admin", admin);
      assertThat(table.exitCode()).as(table.err()).isZero();
      assertThat(table.out()).startsWith("FILTER")
          .containsPattern("http +DENY +deny-admin\\.default +0 +0 +1\n")
          .containsPattern("http +DENY +\\(no rule matched\\) +- +2 +0\n")
          .containsPattern("http +ALLOW +allow-get\\.default +0 +1 +0\n")
          .containsPattern("http +ALLOW +\\(no rule matched\\) +- +0 +1\n");

      JsonNode json = new ObjectMapper().readTree(CliRun.of("proxy-config", "authz", "--admin", admin, "-o", "json")
          .out());
      assertThat(json.findValuesAsText("policy")).contains("allow-get.default", "deny-admin.default");
    }
  }

  private static int status(HttpClient client, String method, String url) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(url)).method(method, HttpRequest.BodyPublishers.noBody())
        .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Test
  void showsSecretsWithTheirCertificatesValidityAndNeverTheKey() throws Exception {
    TestPki pki = TestPki.create("weft-test-ca");
    TestPki.Issued workload = pki.issue("reviews", "spiffe://cluster.local/ns/default/sa/bookinfo-reviews");
    String yaml = """
        admin: {address: {socket_address: {address: 127.0.0.1, port_value: 0}}}
        static_resources:
          secrets:
          - name: default
            tls_certificate:
              certificate_chain: {inline_string: %s}
              private_key: {inline_string: %s}
          - name: ROOTCA
            validation_context:
              trusted_ca: {inline_string: %s}
        """.formatted(quoted(workload.certificatePem()), quoted(workload.privateKeyPem()), quoted(pki.caPem()));
    var bootstrap = ((BootstrapResult.Valid) new BootstrapLoader().parse(yaml)).bootstrap();
    try (ProxyServer proxy = ProxyServer.start(bootstrap, ProxyOptions.defaults().withWorkerThreads(1))) {
      String admin = "http://127.0.0.1:" + proxy.adminPort();

      CliRun table = CliRun.of("proxy-config", "secrets", "--admin", admin);
      assertThat(table.exitCode()).as(table.err()).isZero();
      assertThat(table.out()).startsWith("RESOURCE NAME").containsPattern(
          "default +Cert Chain +STATIC +true +" + workload.certificate().getSerialNumber().toString(16) + " ")
          .containsPattern("ROOTCA +CA +STATIC +true +" + pki.caCertificate().getSerialNumber().toString(16) + " ")
          .contains(workload.certificate().getNotAfter().toInstant().truncatedTo(ChronoUnit.SECONDS).toString())
          .containsPattern("default +Cert Chain .* spiffe://cluster.local/ns/default/sa/bookinfo-reviews +1 \\(issued by "
              + java.util.regex.Pattern.quote(pki.caCertificate().getSubjectX500Principal().getName()) + "\\)");

      CliRun json = CliRun.of("proxy-config", "secrets", "--admin", admin, "-o", "json");
      assertThat(new ObjectMapper().readTree(json.out()).findValuesAsText("name")).contains("default", "ROOTCA");
      assertThat(json.out()).doesNotContain(workload.privateKeyPem().lines().skip(1).findFirst().orElseThrow());
    }
  }

  private static String quoted(String pem) {
    return "\"" + pem.replace("\n", "\\n") + "\"";
  }

  @Test
  void anUnknownProxyIsAClearError() {
    CliRun run = CliRun.of("proxy-config", "clusters", "nobody", "--state-dir", "/nonexistent-weft-state");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("no proxy \"nobody\"");
  }

  @Test
  void parsesTheAdminsClusterListIntoEndpoints() {
    assertThat(ProxyConfigCommand.endpoints("""
        outbound|9080||ratings.default.svc.cluster.local::127.0.0.1:20150::rq_active::0
        outbound|9080||ratings.default.svc.cluster.local::127.0.0.1:20150::health_flags::healthy
        outbound|9080||reviews.default.svc.cluster.local::127.0.0.1:20250::health_flags::/failed_outlier_check
        """)).containsExactly(
        new ProxyConfigCommand.Endpoint("127.0.0.1:20150", "HEALTHY", "outbound|9080||ratings.default.svc.cluster.local"),
        new ProxyConfigCommand.Endpoint("127.0.0.1:20250", "UNHEALTHY /failed_outlier_check",
            "outbound|9080||reviews.default.svc.cluster.local"));
  }
}
