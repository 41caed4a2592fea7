package dev.weft.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTemplateTest {

    private static final Path CONFIGS = Path.of("../configs");

    /** Every value BenchRun supplies, with the certificate values MeshCertificates supplies. */
    private static Map<String, String> allValues() {
        Map<String, String> values = new HashMap<>(Map.of("workdir", "/w", "instance", "sys-role", "listen_http1",
                "40001", "listen_http2", "40002", "listen_tcp", "40003", "upstream_http1", "40004",
                "upstream_http2", "40005", "sink", "40006", "listen_grpc", "40007", "upstream_grpc", "40008"));
        values.put("certs", "/w/certs");
        values.put("client_spiffe_id", MeshCertificates.spiffeId(MeshCertificates.CLIENT_SERVICE_ACCOUNT));
        values.put("server_spiffe_id", MeshCertificates.spiffeId(MeshCertificates.SERVER_SERVICE_ACCOUNT));
        values.put("server_dns_name", MeshCertificates.dnsName(MeshCertificates.SERVER_SERVICE_ACCOUNT));
        return values;
    }

    private static String render(String template) throws IOException {
        return ConfigTemplate.render(Files.readString(CONFIGS.resolve(template)), allValues());
    }

    @Test
    void fillsPlaceholdersAndRejectsMissingValues() {
        assertThat(ConfigTemplate.render("listen ${listen_http1}; root ${workdir}/www; $literal",
                Map.of("listen_http1", "8080", "workdir", "/tmp/w$1")))
                .isEqualTo("listen 8080; root /tmp/w$1/www; $literal");
        assertThatThrownBy(() -> ConfigTemplate.render("port ${sink}", Map.of()))
                .hasMessage("no value for ${sink}");
    }

    @Test
    void everyOneHopConfigTakesEveryScenarioFromTheSharedUpstream() throws IOException {
        assertThat(render("upstream-nginx.conf")).contains("127.0.0.1:40004", "127.0.0.1:40005 http2");
        for (String proxy : new String[] {"nginx-proxy.conf", "haproxy.cfg", "weft-proxy.yaml"}) {
            assertThat(render(proxy)).as(proxy).contains("40001", "40002", "40003", "40004", "40006", "40007", "40008");
        }
    }

    @Test
    void everySidecarConfigUsesTheRunsCertificatesAndItsOwnNeighbour() throws IOException {
        for (SystemSpec system : Systems.comparison("java", "cp")) {
            if (system.isDirect()) {
                continue;
            }
            String outbound = render(system.mtlsSidecars().outbound());
            String inbound = render(system.mtlsSidecars().inbound());
            if (system.mtlsSidecars().agentArguments().isEmpty()) {
                assertThat(outbound).as(system.name() + " outbound").contains("40001", "40004",
                        "/w/certs/outbound", "/w/certs/ca.pem");
                assertThat(inbound).as(system.name() + " inbound").contains("40001", "40004",
                        "/w/certs/inbound", "/w/certs/ca.pem");
            } else {
                // Certificates from weftd's CA, over SDS from the sidecar's own agent, as Istio configures Envoy.
                for (String config : List.of(outbound, inbound)) {
                    assertThat(config).as(system.name()).contains("40001", "40004", "name: default", "name: ROOTCA",
                            "cluster_name: sds-grpc").doesNotContain("/w/certs");
                }
                assertThat(system.mtlsSidecars().agentArguments()).contains("--ca-address", "--identity");
            }
        }
    }

    @Test
    void weftProxyChecksTheSpiffeIdOfThePeerOnBothSides() throws IOException {
        assertThat(render("weft-proxy-mtls-outbound.yaml")).contains("san_type: URI",
                "exact: \"spiffe://cluster.local/ns/default/sa/bench-server\"");
        assertThat(render("weft-proxy-mtls-inbound.yaml")).contains("require_client_certificate: true",
                "exact: \"spiffe://cluster.local/ns/default/sa/bench-client\"");
    }
}
