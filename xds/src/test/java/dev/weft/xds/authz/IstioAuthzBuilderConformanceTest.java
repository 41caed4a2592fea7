package dev.weft.xds.authz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.weft.model.ConfigError;
import dev.weft.model.load.ConfigLoader;
import dev.weft.model.load.LoadResult;
import dev.weft.xds.XdsJson;
import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.push.ExtensionProvider;
import dev.weft.xds.push.ExtensionProvider.ExtAuthzGrpc;
import dev.weft.xds.push.ExtensionProvider.ExtAuthzHttp;
import dev.weft.xds.push.ExtensionProvider.RequestBody;
import dev.weft.xds.push.MeshSettings;
import dev.weft.xds.push.PushContext;
import dev.weft.xds.registry.ConfigRegistry;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Istio's own authz builder test ({@code pilot/pkg/security/authz/builder/builder_test.go} at the corpus commit):
 * every case's input policies go through weft's translation and must give the filters Istio emits, compared as
 * Envoy protos (map order and field order do not matter; list order does, and matches). Each case carries the
 * meshConfig extension providers, trust domain and aliases the Go test gives it; as there, a case with providers
 * is built as CUSTOM, the others as AUDIT/DENY/ALLOW, for the workload {@code app: httpbin, version: v1} in
 * namespace {@code foo}, with the service {@code my-custom-ext-authz.foo.svc.cluster.local} in the registry.
 *
 * <p>The {@code extended-*} outputs are the Go test's second pass (its "extended" loop runs the very same
 * generator); they are byte-identical to the plain ones at this commit, which {@link #extendedOutputsEqualPlainOnes}
 * checks, so the plain ones are the expectations.
 *
 * <p>Istio's test runs without a trust domain bundle unless the case sets one; weft always has one (the mesh's
 * trust domain, {@code cluster.local} by default), which changes nothing for these inputs: the only principals
 * an empty bundle would treat differently name {@code cluster.local}, and those cases set a bundle.
 */
class IstioAuthzBuilderConformanceTest {

    /** Inputs Istio's test table does not run, with the reason. */
    private static final Map<String, String> NOT_RUN = Map.of(
            "http/allow-host-before-111-in.yaml",
            "not in Istio's test table any more: the regex host matchers it expects were for proxies before 1.11");

    /** Cases weft translates differently from Istio on purpose, with the reason. None. */
    private static final Map<String, String> DIFFERENT_ON_PURPOSE = Map.of();

    private static final String AUTHZ_SERVICE = "my-custom-ext-authz.foo.svc.cluster.local";

    private static final ExtensionProvider GRPC_NO_NAMESPACE = ExtensionProvider.grpc("default",
            new ExtAuthzGrpc(AUTHZ_SERVICE, 9000, Optional.empty(), true, "403", Optional.empty()));
    private static final ExtensionProvider GRPC = ExtensionProvider.grpc("default",
            new ExtAuthzGrpc("foo/" + AUTHZ_SERVICE, 9000, Optional.of(Duration.ofMillis(2)), true, "403",
                    Optional.of(new RequestBody(4096, true, false))));
    private static final ExtensionProvider HTTP = ExtensionProvider.http("default",
            new ExtAuthzHttp("foo/" + AUTHZ_SERVICE, 9000, Optional.of(Duration.ofSeconds(10)), "/check", true, "403",
                    List.of("x-custom-id", "x-prefix-*", "*-suffix"),
                    List.of("should-not-include-when-IncludeRequestHeadersInCheck-is-set"),
                    Map.of("x-header-1", "value-1", "x-header-2", "value-2"),
                    List.of("Authorization", "x-prefix-*", "*-suffix"),
                    List.of("Set-cookie", "x-prefix-*", "*-suffix"),
                    List.of("Set-cookie", "x-prefix-*", "*-suffix"),
                    Optional.of(new RequestBody(2048, true, true))));
    private static final ExtensionProvider INVALID = ExtensionProvider.http("default",
            new ExtAuthzHttp("foo/my-custom-ext-authz", 999999, Optional.empty(), "check", false, "999", List.of(),
                    List.of(), Map.of(), List.of(), List.of(), List.of(), Optional.empty()));

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().usingTypeRegistry(JsonFormat.TypeRegistry
            .newBuilder()
            .add(io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.getDescriptor())
            .add(io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.getDescriptor())
            .add(io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.ExtAuthz.getDescriptor())
            .add(io.envoyproxy.envoy.extensions.filters.network.ext_authz.v3.ExtAuthz.getDescriptor())
            .add(io.envoyproxy.envoy.extensions.path.match.uri_template.v3.UriTemplateMatchConfig.getDescriptor())
            .build());

    /**
     * One row of Istio's table.
     *
     * @param providers null when the Go case sets no meshConfig (then it is not built as CUSTOM)
     */
    record Case(String protocol, String name, String input, List<String> want, List<ExtensionProvider> providers,
            String trustDomain, List<String> aliases) {

        Case(String protocol, String name, String input, List<String> want) {
            this(protocol, name, input, want, null, "cluster.local", List.of());
        }

        Case withProviders(ExtensionProvider provider) {
            return new Case(protocol, name, input, want, List.of(provider), trustDomain, aliases);
        }

        Case withTrustDomain(String domain, List<String> domainAliases) {
            return new Case(protocol, name, input, want, providers, domain, domainAliases);
        }

        @Override
        public String toString() {
            return protocol + "/" + name;
        }
    }

    static List<Case> cases() {
        return List.of(
                http("allow-empty-rule", "allow-empty-rule-out.yaml"),
                http("allow-full-rule", "allow-full-rule-out.yaml"),
                http("allow-nil-rule", "allow-nil-rule-out.yaml"),
                http("allow-path", "allow-path-out.yaml"),
                http("audit-full-rule", "audit-full-rule-out.yaml"),
                new Case("http", "custom-grpc-provider-no-namespace", "custom-simple-http-in.yaml",
                        List.of("custom-grpc-provider-no-namespace-out1.yaml",
                                "custom-grpc-provider-no-namespace-out2.yaml")).withProviders(GRPC_NO_NAMESPACE),
                new Case("http", "custom-grpc-provider", "custom-simple-http-in.yaml",
                        List.of("custom-grpc-provider-out1.yaml", "custom-grpc-provider-out2.yaml")).withProviders(GRPC),
                new Case("http", "custom-http-provider", "custom-simple-http-in.yaml",
                        List.of("custom-http-provider-out1.yaml", "custom-http-provider-out2.yaml")).withProviders(HTTP),
                http("custom-bad-multiple-providers", "custom-bad-multiple-providers-out1.yaml",
                        "custom-bad-multiple-providers-out2.yaml").withProviders(HTTP),
                new Case("http", "custom-bad-invalid-config", "custom-simple-http-in.yaml",
                        List.of("custom-bad-out.yaml")).withProviders(INVALID),
                http("deny-and-allow", "deny-and-allow-out1.yaml", "deny-and-allow-out2.yaml"),
                http("deny-empty-rule", "deny-empty-rule-out.yaml"),
                http("dry-run-allow-and-deny", "dry-run-allow-and-deny-out1.yaml", "dry-run-allow-and-deny-out2.yaml"),
                http("dry-run-allow", "dry-run-allow-out.yaml"),
                http("dry-run-mix", "dry-run-mix-out.yaml"),
                http("multiple-policies", "multiple-policies-out.yaml"),
                http("single-policy", "single-policy-out.yaml"),
                new Case("http", "trust-domain-one-alias", "simple-policy-td-aliases-in.yaml",
                        List.of("simple-policy-td-aliases-out.yaml")).withTrustDomain("td1", List.of("cluster.local")),
                new Case("http", "trust-domain-multiple-aliases", "simple-policy-multiple-td-aliases-in.yaml",
                        List.of("simple-policy-multiple-td-aliases-out.yaml"))
                        .withTrustDomain("td1", List.of("cluster.local", "some-td")),
                new Case("http", "trust-domain-wildcard-in-principal", "simple-policy-principal-with-wildcard-in.yaml",
                        List.of("simple-policy-principal-with-wildcard-out.yaml"))
                        .withTrustDomain("td1", List.of("foobar")),
                new Case("http", "trust-domain-aliases-in-source-principal", "td-aliases-source-principal-in.yaml",
                        List.of("td-aliases-source-principal-out.yaml"))
                        .withTrustDomain("new-td", List.of("old-td", "some-trustdomain")),
                new Case("http", "trust-domains-field", "trust-domains-in.yaml", List.of("trust-domains-out.yaml")),
                tcp("allow-both-http-tcp", "allow-both-http-tcp-out.yaml"),
                tcp("allow-only-http", "allow-only-http-out.yaml"),
                tcp("audit-both-http-tcp", "audit-both-http-tcp-out.yaml"),
                tcp("custom-both-http-tcp", "custom-both-http-tcp-out1.yaml", "custom-both-http-tcp-out2.yaml")
                        .withProviders(GRPC),
                tcp("custom-only-http").withProviders(HTTP),
                tcp("deny-both-http-tcp", "deny-both-http-tcp-out.yaml"),
                tcp("dry-run-mix", "dry-run-mix-out.yaml"));
    }

    private static Case http(String name, String... want) {
        return new Case("http", name, name + "-in.yaml", List.of(want));
    }

    private static Case tcp(String name, String... want) {
        return new Case("tcp", name, name + "-in.yaml", List.of(want));
    }

    static Stream<Arguments> translatedCases() {
        return cases().stream().filter(c -> !DIFFERENT_ON_PURPOSE.containsKey(c.name())).map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("translatedCases")
    void givesIstiosFilters(Case c) throws IOException {
        LoadResult loaded = new ConfigLoader().loadString(Files.readString(dir(c.protocol()).resolve(c.input()))
                + "\n---\n" + AUTHZ_SERVICE_YAML, c.input());
        // Istio's validation warns about DENY rules on HTTP attributes (they deny TCP ports); they still load.
        assertThat(loaded.errors()).as("input loads").noneMatch(ConfigError::isError);
        MeshSettings mesh = MeshSettings.DEFAULT.withTrustDomain(c.trustDomain(), c.aliases())
                .withExtensionProviders(c.providers() == null ? List.of() : c.providers());
        PushContext push = new PushContext(loaded.snapshot(),
                ConfigRegistry.build(loaded.snapshot(), List.of(), "cluster.local"), mesh);
        boolean custom = c.providers() != null;
        BiFunction<PushContext, ProxyNode, List<? extends Message>> build = c.protocol().equals("http")
                ? (custom ? AuthorizationFilters::customHttp : AuthorizationFilters::http)
                : (custom ? AuthorizationFilters::customTcp : AuthorizationFilters::tcp);

        List<String> actual = new ArrayList<>();
        for (Message filter : build.apply(push, httpbin())) {
            actual.add(canonical(XdsJson.print(filter)));
        }
        List<String> expected = new ArrayList<>();
        for (String want : c.want()) {
            String yaml = Files.readString(dir(c.protocol()).resolve(want));
            Message.Builder parsed = c.protocol().equals("http") ? HttpFilter.newBuilder() : Filter.newBuilder();
            PARSER.merge(new ObjectMapper().writeValueAsString(YAML.readTree(yaml)), parsed);
            expected.add(canonical(XdsJson.print(parsed.build())));
        }
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void everyInputIsACaseOrNamedAsNotRun() throws IOException {
        Set<String> inputs = new TreeSet<>();
        for (String protocol : List.of("http", "tcp")) {
            try (Stream<Path> files = Files.list(dir(protocol))) {
                files.map(f -> protocol + "/" + f.getFileName()).filter(f -> f.endsWith("-in.yaml")).forEach(inputs::add);
            }
        }
        Set<String> covered = new TreeSet<>(NOT_RUN.keySet());
        cases().forEach(c -> covered.add(c.protocol() + "/" + c.input()));
        assertThat(covered).isEqualTo(inputs);
    }

    @Test
    void extendedOutputsEqualPlainOnes() throws IOException {
        List<Path> extended;
        try (Stream<Path> files = Files.list(dir("http"))) {
            extended = files.filter(f -> f.getFileName().toString().startsWith("extended-")).toList();
        }
        assertThat(extended).isNotEmpty();
        for (Path file : extended) {
            Path plain = file.resolveSibling(file.getFileName().toString().substring("extended-".length()));
            assertThat(file).hasSameBinaryContentAs(plain);
        }
    }

    private static final String AUTHZ_SERVICE_YAML = """
            apiVersion: v1
            kind: Service
            metadata: {name: my-custom-ext-authz, namespace: foo}
            spec:
              selector: {app: my-custom-ext-authz}
              ports: [{name: grpc, port: 9000}]
            """;

    private static Path dir(String protocol) {
        String shared = System.getProperty("weft.shared.dir");
        assertThat(shared).as("system property weft.shared.dir").isNotBlank();
        Path dir = Path.of(shared, "istio", "corpus", "pilot", "pkg", "security", "authz", "builder", "testdata",
                protocol);
        assertThat(dir).as("Istio authz builder testdata").isDirectory();
        return dir;
    }

    /** The workload of Istio's test: {@code app: httpbin, version: v1} in namespace foo. */
    private static ProxyNode httpbin() {
        Struct labels = Struct.newBuilder()
                .putFields("app", Value.newBuilder().setStringValue("httpbin").build())
                .putFields("version", Value.newBuilder().setStringValue("v1").build())
                .build();
        return ProxyNode.fromNode(Node.newBuilder()
                .setId("sidecar~10.0.0.1~httpbin.foo~foo.svc.cluster.local")
                .setMetadata(Struct.newBuilder().putFields("LABELS", Value.newBuilder().setStructValue(labels).build()))
                .build());
    }

    /** Proto JSON with object keys sorted, as YAML: equal protos give equal text, and a diff reads well. */
    private static String canonical(String json) throws IOException {
        return YAML.writeValueAsString(YAML.convertValue(new ObjectMapper().readTree(json), Object.class));
    }
}
