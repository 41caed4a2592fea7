package dev.weft.xds.push;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.model.load.MeshConfigLoader;
import dev.weft.model.mesh.MeshConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MeshSettingsTest {

    private static MeshSettings settings(String yaml) {
        MeshConfig config = new MeshConfigLoader().loadString(yaml, "mesh.yaml").config().orElseThrow();
        return MeshSettings.of(config, "example.local");
    }

    @Test
    void anEmptyMeshConfigGivesTheDefaultsWithTheClustersDomainSuffix() {
        assertThat(settings("")).isEqualTo(new MeshSettings("istio-system", "example.local", true, "cluster.local",
                List.of(), List.of()));
    }

    @Test
    void carriesEveryFieldOfTheMeshConfig() {
        MeshSettings settings = settings("""
                rootNamespace: mesh-root
                trustDomain: example.org
                trustDomainAliases: [old.org]
                outboundTrafficPolicy: {mode: REGISTRY_ONLY}
                extensionProviders:
                - name: http
                  envoyExtAuthzHttp:
                    service: authz/ext-authz
                    port: 8000
                    timeout: 1.5s
                    pathPrefix: /check
                    failOpen: true
                    statusOnError: "503"
                    includeHeadersInCheck: [x-old]
                    includeRequestHeadersInCheck: [x-ext-authz]
                    includeAdditionalHeadersInCheck: {x-added: yes}
                    headersToUpstreamOnAllow: [x-up]
                    headersToDownstreamOnDeny: [x-deny]
                    headersToDownstreamOnAllow: [x-allow]
                    includeRequestBodyInCheck: {maxRequestBytes: 4096, allowPartialMessage: true, packAsBytes: true}
                - name: grpc
                  envoyExtAuthzGrpc: {service: ext-authz, port: 9000, failOpen: true, statusOnError: "500"}
                """);

        assertThat(settings.rootNamespace()).isEqualTo("mesh-root");
        assertThat(settings.allowAnyOutbound()).isFalse();
        assertThat(settings.trustDomain()).isEqualTo("example.org");
        assertThat(settings.trustDomainAliases()).containsExactly("old.org");
        assertThat(settings.extensionProviders()).containsExactly(
                ExtensionProvider.http("http", new ExtensionProvider.ExtAuthzHttp("authz/ext-authz", 8000,
                        Optional.of(Duration.ofMillis(1500)), "/check", true, "503", List.of("x-ext-authz"),
                        List.of("x-old"), Map.of("x-added", "yes"), List.of("x-up"), List.of("x-deny"),
                        List.of("x-allow"), Optional.of(new ExtensionProvider.RequestBody(4096, true, true)))),
                ExtensionProvider.grpc("grpc", new ExtensionProvider.ExtAuthzGrpc("ext-authz", 9000, Optional.empty(),
                        true, "500", Optional.empty())));
    }

    @Test
    void anAccessLogFileTurnsOnIstiosDefaultFormatOrTheOneGiven() {
        assertThat(settings("").accessLog()).isEmpty();
        MeshSettings.AccessLog text = settings("accessLogFile: /dev/stdout\n").accessLog().orElseThrow();
        assertThat(text.path()).isEqualTo("/dev/stdout");
        assertThat(text.json()).isFalse();
        assertThat(text.textFormat()).isEqualTo(dev.weft.api.config.IstioAccessLogFormats.TEXT);
        MeshSettings.AccessLog json = settings("accessLogFile: /var/log/a.log\naccessLogEncoding: JSON\n")
                .accessLog().orElseThrow();
        assertThat(json.jsonFormat()).isEqualTo(dev.weft.api.config.IstioAccessLogFormats.JSON);
        MeshSettings.AccessLog custom = settings("""
                accessLogFile: /dev/stdout
                accessLogEncoding: JSON
                accessLogFormat: '{"code": "%RESPONSE_CODE%", "details": "%RESPONSE_CODE_DETAILS%"}'
                """).accessLog().orElseThrow();
        assertThat(custom.jsonFormat()).containsExactly(Map.entry("code", "%RESPONSE_CODE%"),
                Map.entry("details", "%RESPONSE_CODE_DETAILS%"));
    }

    /** Istio's ProxyConfig proxyHeaders.server: istio-envoy by default, another value, or the upstream's own. */
    @Test
    void theServerHeaderIsIstiosUnlessTheProxyConfigSaysOtherwise() {
        assertThat(settings("").serverHeader()).isEqualTo(new MeshSettings.ServerHeader("istio-envoy", false));
        assertThat(settings("defaultConfig: {proxyHeaders: {server: {value: acme}}}").serverHeader())
                .isEqualTo(new MeshSettings.ServerHeader("acme", false));
        assertThat(settings("defaultConfig: {proxyHeaders: {server: {disabled: true}, requestId: {disabled: true}}}")
                .serverHeader().passThrough()).isTrue();
    }
}
