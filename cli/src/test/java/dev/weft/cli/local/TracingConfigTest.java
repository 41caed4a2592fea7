package dev.weft.cli.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.model.load.MeshConfigLoader;
import dev.weft.model.mesh.MeshConfig;
import org.junit.jupiter.api.Test;

/** The generated mesh config is read back by weftd's own loader. */
class TracingConfigTest {

  private static MeshConfig load(String text) {
    MeshConfigLoader.Result result = new MeshConfigLoader().loadString(text, "meshconfig.yaml");
    assertThat(result.hasErrors()).as("%s\n%s", result.findings(), text).isFalse();
    return result.config().orElseThrow();
  }

  @Test
  void withoutAMeshConfigZipkinIsTheDefaultTracerSamplingEverything() {
    MeshConfig mesh = load(TracingConfig.meshConfig(""));

    assertThat(mesh.extensionProviders()).singleElement().satisfies(p -> {
      assertThat(p.name()).isEqualTo("zipkin");
      assertThat(p.zipkin().service()).isEqualTo("zipkin.istio-system.svc.cluster.local");
      assertThat(p.zipkin().port()).isEqualTo(9411);
    });
    assertThat(mesh.defaultProviders().tracing()).containsExactly("zipkin");
    assertThat(mesh.defaultConfig().tracing().sampling()).isEqualTo(100.0);
  }

  @Test
  void theMeshsOwnSettingsStayAndItsSamplingRateWins() {
    String user = """
        accessLogFile: /dev/stdout
        trustDomain: example.org
        extensionProviders:
        - name: ext-authz
          envoyExtAuthzHttp: {service: ext-authz.foo.svc.cluster.local, port: 8000}
        - name: zipkin
          zipkin: {service: old.zipkin.svc.cluster.local, port: 1}
        defaultProviders: {metrics: [prometheus]}
        defaultConfig: {tracing: {sampling: 10}}
        """;

    MeshConfig mesh = load(TracingConfig.meshConfig(user));

    assertThat(mesh.accessLogFile()).isEqualTo("/dev/stdout");
    assertThat(mesh.trustDomain()).isEqualTo("example.org");
    assertThat(mesh.extensionProviders()).extracting(MeshConfig.ExtensionProvider::name)
        .containsExactly("ext-authz", "zipkin");
    assertThat(mesh.extensionProviders().get(1).zipkin().service()).isEqualTo(TracingConfig.HOST);
    assertThat(mesh.defaultProviders().tracing()).containsExactly("zipkin");
    assertThat(mesh.defaultProviders().metrics()).containsExactly("prometheus");
    assertThat(mesh.defaultConfig().tracing().sampling()).isEqualTo(10.0);
  }

  @Test
  void theServiceEntrySendsZipkinsHostToTheGivenAddress() {
    String entry = TracingConfig.serviceEntry("127.0.0.1", 41234);

    assertThat(entry).contains("hosts: [zipkin.istio-system.svc.cluster.local]")
        .contains("endpoints: [{address: 127.0.0.1, ports: {http-query: 41234}}]")
        .contains("ports: [{number: 9411, name: http-query, protocol: HTTP}]");
  }
}
