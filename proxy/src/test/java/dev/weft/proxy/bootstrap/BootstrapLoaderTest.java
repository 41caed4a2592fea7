package dev.weft.proxy.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootstrapLoaderTest {

    private final BootstrapLoader loader = new BootstrapLoader();

    @Test
    void parsesYamlWithTypedConfigs() throws Exception {
        BootstrapResult result = loader.parse("""
                node: { id: sidecar~10.0.0.1~web.default~default.svc.cluster.local, cluster: web }
                admin:
                  address: { socket_address: { address: 127.0.0.1, port_value: 15000 } }
                static_resources:
                  listeners:
                  - name: l
                    address: { socket_address: { address: 0.0.0.0, port_value: 8080 } }
                    filter_chains:
                    - filters:
                      - name: hcm
                        typed_config:
                          "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                          stat_prefix: s
                          rds: { route_config_name: r }
                dynamic_resources:
                  ads_config: { api_type: GRPC, grpc_services: [ { envoy_grpc: { cluster_name: xds } } ] }
                """);

        assertThat(result).isInstanceOf(BootstrapResult.Valid.class);
        var bootstrap = ((BootstrapResult.Valid) result).bootstrap();
        assertThat(bootstrap.getNode().getCluster()).isEqualTo("web");
        assertThat(bootstrap.getAdmin().getAddress().getSocketAddress().getPortValue()).isEqualTo(15000);
        var hcm = bootstrap.getStaticResources().getListeners(0).getFilterChains(0).getFilters(0).getTypedConfig()
                .unpack(HttpConnectionManager.class);
        assertThat(hcm.getRds().getRouteConfigName()).isEqualTo("r");
        assertThat(bootstrap.getDynamicResources().hasAdsConfig()).isTrue();
    }

    @Test
    void loadsJsonFromAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bootstrap.json");
        Files.writeString(file, "{\"node\": {\"id\": \"n1\"}}");
        BootstrapResult result = loader.load(file);
        assertThat(((BootstrapResult.Valid) result).bootstrap().getNode().getId()).isEqualTo("n1");
    }

    @Test
    void aJsonBootstrapWithTypedConfigsIsTheSameAsItsYaml() {
        String hcm = "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3"
                + ".HttpConnectionManager";
        BootstrapResult json = loader.parse("""
                {"static_resources": {"listeners": [{"name": "l", "filter_chains": [{"filters": [{"name": "hcm",
                  "typed_config": {"@type": "%s", "stat_prefix": "s", "rds": {"route_config_name": "r"}}}]}]}]}}
                """.formatted(hcm));
        BootstrapResult yaml = loader.parse("""
                static_resources:
                  listeners:
                  - name: l
                    filter_chains:
                    - filters:
                      - name: hcm
                        typed_config: { "@type": %s, stat_prefix: s, rds: { route_config_name: r } }
                """.formatted(hcm));

        assertThat(json).isInstanceOf(BootstrapResult.Valid.class).isEqualTo(yaml);
    }

    /** YAML 1.2's typing: none of these words or dates turns into a boolean or a date, 0x and 0o are numbers. */
    @Test
    void yamlIsTypedAsYaml12TypesIt() {
        BootstrapResult yaml = loader.parse("""
                node:
                  id: on
                  cluster: yes
                  metadata: { a: no, b: 2026-01-01, c: ~, d: 0x1F, e: 0o17, f: 1:20, g: 010 }
                admin:
                  address: { socket_address: { address: 127.0.0.1, port_value: 0o17 } }
                static_resources:
                  clusters:
                  - name: c
                    per_connection_buffer_limit_bytes: 1e3
                    common_lb_config: { healthy_panic_threshold: { value: .inf } }
                stats_config: { use_all_default_tags: True }
                """);
        BootstrapResult json = loader.parse("""
                {"node": {"id": "on", "cluster": "yes", "metadata": {"a": "no", "b": "2026-01-01", "c": null,
                   "d": 31, "e": 15, "f": "1:20", "g": 10}},
                 "admin": {"address": {"socket_address": {"address": "127.0.0.1", "port_value": 15}}},
                 "static_resources": {"clusters": [{"name": "c", "per_connection_buffer_limit_bytes": 1000,
                   "common_lb_config": {"healthy_panic_threshold": {"value": "Infinity"}}}]},
                 "stats_config": {"use_all_default_tags": true}}
                """);

        assertThat(yaml).isInstanceOf(BootstrapResult.Valid.class).isEqualTo(json);
        Bootstrap bootstrap = ((BootstrapResult.Valid) yaml).bootstrap();
        assertThat(bootstrap.getNode().getId()).isEqualTo("on");
        assertThat(bootstrap.getNode().getMetadata().getFieldsOrThrow("b").getStringValue()).isEqualTo("2026-01-01");
        assertThat(bootstrap.getNode().getMetadata().getFieldsOrThrow("d").getNumberValue()).isEqualTo(31);
        assertThat(bootstrap.getAdmin().getAddress().getSocketAddress().getPortValue()).isEqualTo(15);
        assertThat(bootstrap.getStaticResources().getClusters(0).getCommonLbConfig().getHealthyPanicThreshold()
                .getValue()).isInfinite();
        assertThat(bootstrap.getStatsConfig().getUseAllDefaultTags().getValue()).isTrue();
    }

    @Test
    void refusesHostileYamlAndDocumentsThatAreNoObject() {
        assertThat(loader.parse("node: &n { metadata: { self: *n } }\n")).isInstanceOfSatisfying(
                BootstrapResult.Invalid.class, r -> assertThat(r.message())
                        .isEqualTo("bootstrap is not valid YAML or JSON: nested deeper than 100, aliases expanded"
                                + " at line 1"));
        for (String notAnObject : List.of("", "# nothing\n", "- node\n", "node\n")) {
            assertThat(loader.parse(notAnObject)).as(notAnObject).isInstanceOfSatisfying(BootstrapResult.Invalid.class,
                    r -> assertThat(r.message()).isEqualTo("bootstrap must be a YAML or JSON object"));
        }
    }

    @Test
    void reportsMalformedJson() {
        assertThat(loader.parse("{\"node\": {\"id\": ")).isInstanceOfSatisfying(BootstrapResult.Invalid.class,
                r -> assertThat(r.message()).contains("End of input at line 1 column 17"));
        assertThat(loader.parse("{\"nodes\": {}}")).isInstanceOfSatisfying(BootstrapResult.Invalid.class,
                r -> assertThat(r.message()).contains("nodes"));
    }

    @Test
    void reportsSyntaxErrorsWithALine() {
        BootstrapResult result = loader.parse("node:\n  id: [unclosed\n");
        assertThat(result).isInstanceOfSatisfying(BootstrapResult.Invalid.class,
                r -> assertThat(r.message()).isEqualTo("bootstrap is not valid YAML or JSON: while parsing a flow"
                        + " sequence at line 2: expected ',' or ']', but got <stream end> at line 3"));
    }

    @Test
    void reportsUnknownFieldsAndTypes() {
        assertThat(loader.parse("nodes: {}")).isInstanceOfSatisfying(BootstrapResult.Invalid.class,
                r -> assertThat(r.message()).contains("nodes"));
        assertThat(loader.parse("""
                static_resources:
                  listeners:
                  - name: l
                    filter_chains:
                    - filters:
                      - name: x
                        typed_config: { "@type": type.googleapis.com/no.such.Type }
                """)).isInstanceOfSatisfying(BootstrapResult.Invalid.class,
                r -> assertThat(r.message()).contains("no.such.Type"));
    }

    @Test
    void reportsAMissingFile(@TempDir Path dir) {
        assertThat(loader.load(dir.resolve("missing.yaml"))).isInstanceOfSatisfying(BootstrapResult.Invalid.class,
                r -> assertThat(r.message()).contains("cannot read bootstrap"));
    }
}
