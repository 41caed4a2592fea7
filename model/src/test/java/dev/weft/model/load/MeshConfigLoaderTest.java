package dev.weft.model.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.model.ConfigError;
import dev.weft.model.mesh.MeshConfig;
import dev.weft.model.mesh.MeshConfig.EnvoyExternalAuthorizationHttpProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeshConfigLoaderTest {
  private final MeshConfigLoader loader = new MeshConfigLoader();

  /** The mesh config of Istio's External Authorization task, beside keys a real istio ConfigMap carries. */
  private static final String TASK = """
      accessLogFile: /dev/stdout
      defaultConfig:
        discoveryAddress: istiod.istio-system.svc:15012
      enableTracing: true
      defaultProviders:
        metrics: [prometheus]
      rootNamespace: istio-config
      trustDomain: example.org
      trustDomainAliases: [old.example.org]
      outboundTrafficPolicy:
        mode: REGISTRY_ONLY
      extensionProviders:
      - name: sample-ext-authz-grpc
        envoyExtAuthzGrpc:
          service: ext-authz.foo.svc.cluster.local
          port: 9000
      - name: sample-ext-authz-http
        envoyExtAuthzHttp:
          service: foo/ext-authz.foo.svc.cluster.local
          port: "8000"
          timeout: 2s
          pathPrefix: /check
          failOpen: true
          statusOnError: "503"
          includeRequestHeadersInCheck: ["x-ext-authz"]
          includeAdditionalHeadersInCheck: {x-added: value}
          headersToUpstreamOnAllow: ["x-ext-authz-check-result"]
          headersToDownstreamOnDeny: ["x-ext-authz-check-result"]
          includeRequestBodyInCheck: {maxRequestBytes: 1024, allowPartialMessage: true}
      - name: skywalking
        skywalking: {service: tracing.istio-system.svc.cluster.local, port: 11800}
      """;

  @Test
  void readsIstiosTaskMeshConfigAndWarnsOfWhatWeftDoesNotUse() {
    MeshConfigLoader.Result result = loader.loadString(TASK, "mesh.yaml");

    assertThat(result.findings()).map(ConfigError::toString).containsExactly(
        "mesh.yaml:4: warning: MeshConfig: enableTracing: not supported by Weft: ignored",
        "mesh.yaml:30: warning: MeshConfig: extensionProviders[2]: provider kind skywalking is not implemented by"
            + " Weft: ignored");
    MeshConfig config = result.config().orElseThrow();
    assertThat(config.rootNamespace()).isEqualTo("istio-config");
    assertThat(config.trustDomain()).isEqualTo("example.org");
    assertThat(config.trustDomainAliases()).containsExactly("old.example.org");
    assertThat(config.allowAnyOutbound()).isFalse();
    assertThat(config.accessLogFile()).isEqualTo("/dev/stdout");
    assertThat(config.accessLogEncoding()).isNull();
    assertThat(config.extensionProviders()).hasSize(2);
    assertThat(config.extensionProviders().getFirst().envoyExtAuthzGrpc().port()).isEqualTo(9000);
    EnvoyExternalAuthorizationHttpProvider http = config.extensionProviders().get(1).envoyExtAuthzHttp();
    assertThat(http.service()).isEqualTo("foo/ext-authz.foo.svc.cluster.local");
    assertThat(http.port()).isEqualTo(8000);
    assertThat(http.timeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(http.failOpen()).isTrue();
    assertThat(http.statusOnError()).isEqualTo("503");
    assertThat(http.includeAdditionalHeadersInCheck()).isEqualTo(Map.of("x-added", "value"));
    assertThat(http.includeRequestBodyInCheck().maxRequestBytes()).isEqualTo(1024);
    assertThat(http.includeRequestBodyInCheck().allowPartialMessage()).isTrue();
  }

  @Test
  void readsTracingProvidersDefaultsAndTheProxysSampling() {
    MeshConfigLoader.Result result = loader.loadString("""
        defaultProviders:
          tracing: [zipkin]
          metrics: [prometheus]
        defaultConfig:
          discoveryAddress: istiod.istio-system.svc:15012
          tracing:
            sampling: 12.5
            zipkin: {address: zipkin.istio-system:9411}
        extensionProviders:
        - name: zipkin
          zipkin: {service: zipkin.istio-system.svc.cluster.local, port: 9411, maxTagLength: 56}
        - name: otel
          opentelemetry:
            service: otel.observability.svc.cluster.local
            port: 4318
            http: {path: /v1/traces, timeout: 2s}
        """, "mesh.yaml");

    assertThat(result.findings()).isEmpty();
    MeshConfig config = result.config().orElseThrow();
    assertThat(config.defaultProviders().tracing()).containsExactly("zipkin");
    assertThat(config.defaultConfig().tracing().sampling()).isEqualTo(12.5);
    MeshConfig.ZipkinTracingProvider zipkin = config.extensionProviders().getFirst().zipkin();
    assertThat(zipkin.service()).isEqualTo("zipkin.istio-system.svc.cluster.local");
    assertThat(zipkin.port()).isEqualTo(9411);
    assertThat(zipkin.maxTagLength()).isEqualTo(56);
    MeshConfig.OpenTelemetryTracingProvider otel = config.extensionProviders().get(1).opentelemetry();
    assertThat(otel.port()).isEqualTo(4318);
    assertThat(otel.http().path()).isEqualTo("/v1/traces");
    assertThat(otel.http().timeout()).isEqualTo(Duration.ofSeconds(2));

    assertThat(loader.loadString("defaultConfig: {tracing: {sampling: 101}}\n", "mesh.yaml").findings())
        .map(ConfigError::toString).containsExactly("mesh.yaml:1: MeshConfig: defaultConfig.tracing.sampling: Invalid"
            + " value: 101.0: sampling must be between 0.0 and 100.0");
    assertThat(loader.loadString("extensionProviders:\n- name: z\n  zipkin: {service: zipkin, port: 0}\n",
        "mesh.yaml").findings()).map(ConfigError::toString).containsExactly("mesh.yaml:3: MeshConfig:"
            + " extensionProviders[0].zipkin.port: Invalid value: 0: port must be in the range [1, 65535]");
  }

  @Test
  void readsDiscoverySelectorsAndMatchesNamespacesWithThem() {
    MeshConfigLoader.Result result = loader.loadString("""
        discoverySelectors:
        - matchLabels: {env: prod}
        - matchExpressions:
          - {key: team, operator: In, values: [payments, checkout]}
          - {key: legacy, operator: DoesNotExist}
        """, "mesh.yaml");
    assertThat(result.findings()).isEmpty();
    var selectors = result.config().orElseThrow().discoverySelectors();
    assertThat(selectors).hasSize(2);
    assertThat(selectors.get(0).matches(java.util.Map.of("env", "prod", "x", "y"))).isTrue();
    assertThat(selectors.get(0).matches(java.util.Map.of("env", "dev"))).isFalse();
    assertThat(selectors.get(1).matches(java.util.Map.of("team", "payments"))).isTrue();
    assertThat(selectors.get(1).matches(java.util.Map.of("team", "payments", "legacy", "true"))).isFalse();
    assertThat(selectors.get(1).matches(java.util.Map.of("team", "search"))).isFalse();
    assertThat(MeshConfig.DEFAULT.discoverySelectors()).isEmpty();

    assertThat(loader.loadString("discoverySelectors:\n- matchExpressions: [{key: a, operator: Equals}]\n",
        "mesh.yaml").findings()).map(ConfigError::toString).singleElement().asString()
        .contains("discoverySelectors[0].matchExpressions[0].operator: Unsupported value: \"Equals\"");
  }

  @Test
  void readsTheProxyStatsMatcherAndRejectsABadRegex() {
    MeshConfigLoader.Result result = loader.loadString("""
        defaultConfig:
          proxyStatsMatcher:
            inclusionPrefixes: [cluster.outbound, upstream_rq_retry]
            inclusionRegexps: [".*outlier_detection.*"]
        """, "mesh.yaml");
    assertThat(result.findings()).isEmpty();
    MeshConfig.ProxyStatsMatcher matcher = result.config().orElseThrow().defaultConfig().proxyStatsMatcher();
    assertThat(matcher.inclusionPrefixes()).containsExactly("cluster.outbound", "upstream_rq_retry");
    assertThat(matcher.inclusionSuffixes()).isEmpty();
    assertThat(matcher.inclusionRegexps()).containsExactly(".*outlier_detection.*");

    assertThat(loader.loadString("defaultConfig:\n  proxyStatsMatcher: {inclusionRegexps: [\"(\"]}\n", "mesh.yaml")
        .findings()).map(ConfigError::toString).singleElement().asString()
        .startsWith("mesh.yaml:2: MeshConfig: defaultConfig.proxyStatsMatcher.inclusionRegexps[0]: Invalid value:"
            + " \"(\": ");
  }

  @Test
  void anEmptyFileAndAbsentFieldsAreIstiosDefaults() {
    assertThat(loader.loadString("", "mesh.yaml").config()).contains(MeshConfig.DEFAULT);
    MeshConfig config = loader.loadString("outboundTrafficPolicy: {}\n", "mesh.yaml").config().orElseThrow();
    assertThat(config.rootNamespace()).isEqualTo("istio-system");
    assertThat(config.trustDomain()).isEqualTo("cluster.local");
    assertThat(config.allowAnyOutbound()).isTrue();
  }

  @Test
  void anUnknownKeyIsAWarningWithItsLine() {
    MeshConfigLoader.Result result = loader.loadString("trustDomain: a.org\ntrustDomian: b.org\n", "mesh.yaml");

    assertThat(result.config().orElseThrow().trustDomain()).isEqualTo("a.org");
    assertThat(result.findings()).map(ConfigError::toString).containsExactly(
        "mesh.yaml:2: warning: MeshConfig: trustDomian: unknown field \"trustDomian\": ignored");
  }

  @Test
  void errorsNameTheFileLineAndFieldPathAndRejectTheConfig(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("meshconfig.yaml"), """
        outboundTrafficPolicy:
          mode: ALLOW_SOME
        extensionProviders:
        - name: authz
          envoyExtAuthzHttp:
            service: ext-authz
            port: 0
            pathPrefx: /check
            statusOnError: "forbidden"
        - name: authz
          envoyExtAuthzGrpc: {service: "bad host!", port: 9000}
        - name: both
          envoyExtAuthzGrpc: {service: a, port: 1}
          envoyExtAuthzHttp: {service: a, port: 1}
        trustDomain: "no spaces"
        """);

    MeshConfigLoader.Result result = loader.load(file);

    assertThat(result.config()).isEmpty();
    String f = file.toString();
    assertThat(result.findings()).map(ConfigError::toString).containsExactly(
        f + ":2: MeshConfig: outboundTrafficPolicy.mode: Unsupported value: \"ALLOW_SOME\": supported values:"
            + " \"REGISTRY_ONLY\", \"ALLOW_ANY\"",
        f + ":7: MeshConfig: extensionProviders[0].envoyExtAuthzHttp.port: Invalid value: 0: port must be in the"
            + " range [1, 65535]",
        f + ":8: MeshConfig: extensionProviders[0].envoyExtAuthzHttp.pathPrefx: unknown field \"pathPrefx\"",
        f + ":9: MeshConfig: extensionProviders[0].envoyExtAuthzHttp.statusOnError: Invalid value: \"forbidden\":"
            + " must be an HTTP status code from 100 to 599",
        f + ":10: MeshConfig: extensionProviders[1].name: extension provider name must be unique, found duplicate:"
            + " authz",
        f + ":11: MeshConfig: extensionProviders[1].envoyExtAuthzGrpc.service: Invalid value: \"bad host!\": must"
            + " be <hostname> or <namespace>/<hostname>",
        f + ":12: MeshConfig: extensionProviders[2]: exactly one provider kind may be set, found envoyExtAuthzGrpc,"
            + " envoyExtAuthzHttp",
        f + ":15: MeshConfig: trustDomain: Invalid value: \"no spaces\": a trust domain holds only letters, digits,"
            + " '.', '-' and '_'");
  }

  @Test
  void malformedYamlAndSeveralDocumentsAreRefused() {
    assertThat(loader.loadString("trustDomain: [a\n", "mesh.yaml").findings()).singleElement()
        .satisfies(e -> assertThat(e.toString()).startsWith("mesh.yaml:2: malformed YAML"));
    assertThat(loader.loadString("trustDomain: a\n---\ntrustDomain: b\n", "mesh.yaml").findings())
        .map(ConfigError::toString)
        .containsExactly("mesh.yaml:3: MeshConfig: mesh config must be one YAML document, found 2");
    assertThat(loader.loadString("- a\n", "mesh.yaml").findings()).map(ConfigError::toString)
        .containsExactly("mesh.yaml:1: MeshConfig: mesh config must be a mapping of MeshConfig fields, found: array");
    assertThat(loader.loadString("extensionProviders:\n- name: x\n", "mesh.yaml").findings())
        .map(ConfigError::toString).containsExactly("mesh.yaml:2: MeshConfig: extensionProviders[0]: Required value:"
            + " one provider kind (envoyExtAuthzHttp, envoyExtAuthzGrpc, zipkin, opentelemetry, envoyFileAccessLog)");
  }

  @Test
  void readsFileAccessLogProvidersAndDefaultProviders() {
    MeshConfigLoader.Result result = loader.loadString("""
        defaultProviders:
          accessLogging: [envoy, failures]
          metrics: [prometheus]
        extensionProviders:
        - name: failures
          envoyFileAccessLog:
            path: /var/log/failures.log
            logFormat: {text: "%RESPONSE_CODE%"}
        - name: json
          envoyFileAccessLog:
            path: /dev/stdout
            logFormat: {labels: {code: "%RESPONSE_CODE%"}}
        """, "mesh.yaml");

    assertThat(result.findings()).isEmpty();
    MeshConfig config = result.config().orElseThrow();
    assertThat(config.defaultProviders().accessLogging()).containsExactly("envoy", "failures");
    assertThat(config.extensionProviders()).extracting(p -> p.envoyFileAccessLog().path())
        .containsExactly("/var/log/failures.log", "/dev/stdout");
    assertThat(config.extensionProviders().getFirst().envoyFileAccessLog().logFormat().text())
        .isEqualTo("%RESPONSE_CODE%");
    assertThat(config.extensionProviders().get(1).envoyFileAccessLog().logFormat().labels())
        .isEqualTo(Map.of("code", "%RESPONSE_CODE%"));
    assertThat(loader.loadString("", "mesh.yaml").config().orElseThrow().defaultProviders()).isNull();

    assertThat(loader.loadString("""
        extensionProviders:
        - name: nowhere
          envoyFileAccessLog: {logFormat: {text: "%RESPONSE_CODE%", labels: {a: b}}}
        """, "mesh.yaml").findings()).map(ConfigError::toString).containsExactly(
        "mesh.yaml:3: MeshConfig: extensionProviders[0].envoyFileAccessLog.path: Required value: path must not be"
            + " empty",
        "mesh.yaml:3: MeshConfig: extensionProviders[0].envoyFileAccessLog.logFormat: only one of text and labels"
            + " may be set");
  }

  @Test
  void aDirectoryLoadLeavesItsMeshConfigOut(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve(MeshConfigLoader.FILE_NAME), "trustDomain: example.org\n");
    Files.writeString(dir.resolve("ns.yaml"), "apiVersion: v1\nkind: Namespace\nmetadata: {name: foo}\n");

    LoadResult loaded = new ConfigLoader().load(dir);

    assertThat(loaded.errors()).isEmpty();
    assertThat(loaded.accepted()).hasSize(1);
  }
}
