package dev.weft.xds.authz;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.weft.xds.PushFixture;
import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.push.ExtensionProvider.ExtAuthzGrpc;
import dev.weft.xds.push.ExtensionProvider;
import dev.weft.xds.push.MeshSettings;
import dev.weft.xds.push.PushContext;
import io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** CUSTOM policies whose provider cannot be used deny what they match, beyond the cases of Istio's table. */
class CustomProvidersTest {

    private static final String POLICY = """
            apiVersion: v1
            kind: Service
            metadata: {name: authz, namespace: %s}
            spec: {selector: {app: authz}, ports: [{name: grpc, port: 9000}]}
            ---
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: ext, namespace: foo}
            spec:
              action: CUSTOM
              provider: {name: %s}
              rules: [{to: [{operation: {paths: ["/admin"]}}]}]
            """;

    @Test
    void aProviderTheMeshDoesNotDefineDeniesWhatThePolicyMatches() throws InvalidProtocolBufferException {
        List<HttpFilter> filters = AuthorizationFilters.customHttp(push("foo", "missing",
                grpc("default", "foo/authz.foo.svc.cluster.local")), workload());

        assertThat(filters).extracting(HttpFilter::getName).containsExactly("envoy.filters.http.rbac");
        var rules = filters.getFirst().getTypedConfig().unpack(RBAC.class).getRules();
        assertThat(rules.getAction()).isEqualTo(io.envoyproxy.envoy.config.rbac.v3.RBAC.Action.DENY);
        assertThat(rules.getPoliciesMap())
                .containsOnlyKeys("istio-ext-authz-missing-ns[foo]-policy[ext]-rule[0]-deny-due-to-bad-CUSTOM-action");
    }

    @Test
    void aHostnameWithoutNamespaceMustBeDeclaredInOneNamespaceOnly() {
        String entries = """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: authz, namespace: foo}
                spec: {hosts: [authz.example.com], ports: [{number: 9000, name: grpc}], resolution: DNS}
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: authz, namespace: bar}
                spec: {hosts: [authz.example.com], ports: [{number: 9000, name: grpc}], resolution: DNS}
                ---
                """ + POLICY.formatted("foo", "default");

        List<HttpFilter> ambiguous = AuthorizationFilters.customHttp(push(entries,
                grpc("default", "authz.example.com")), workload());
        List<HttpFilter> qualified = AuthorizationFilters.customHttp(push(entries,
                grpc("default", "bar/authz.example.com")), workload());

        assertThat(ambiguous).extracting(HttpFilter::getName).containsExactly("envoy.filters.http.rbac");
        assertThat(qualified).extracting(HttpFilter::getName)
                .containsExactly("envoy.filters.http.rbac", "envoy.filters.http.ext_authz");
    }

    @Test
    void aServiceInAnotherNamespaceThanNamedIsNotFound() {
        List<HttpFilter> filters = AuthorizationFilters.customHttp(push("bar", "default",
                grpc("default", "foo/authz.bar.svc.cluster.local")), workload());

        assertThat(filters).extracting(HttpFilter::getName).containsExactly("envoy.filters.http.rbac");
    }

    private static ExtensionProvider grpc(String name, String service) {
        return ExtensionProvider.grpc(name, new ExtAuthzGrpc(service, 9000, Optional.empty(), false, "",
                Optional.empty()));
    }

    private static PushContext push(String serviceNamespace, String providerName, ExtensionProvider provider) {
        return push(POLICY.formatted(serviceNamespace, providerName), provider);
    }

    private static PushContext push(String config, ExtensionProvider provider) {
        return PushFixture.push(config, MeshSettings.DEFAULT.withExtensionProviders(List.of(provider)));
    }

    private static ProxyNode workload() {
        return PushFixture.node("sidecar~10.0.0.1~httpbin.foo~foo.svc.cluster.local", Map.of());
    }
}
