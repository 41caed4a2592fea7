package dev.weft.xds.push;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.xds.PushFixture;
import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.mesh.Service;
import dev.weft.xds.mesh.ServiceInstances;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PushContextTest {

    private static final String SERVICES = """
            apiVersion: v1
            kind: Service
            metadata: {name: reviews, namespace: bookinfo}
            spec:
              selector: {app: reviews}
              ports: [{name: http, port: 9080}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: ratings, namespace: bookinfo}
            spec:
              selector: {app: ratings}
              ports: [{name: http, port: 9080}]
            ---
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: private, namespace: bookinfo}
            spec:
              hosts: [private.bookinfo.internal]
              exportTo: ["."]
              ports: [{number: 80, name: http}]
              resolution: NONE
            """;

    private static PushContext push(String extra) {
        return PushFixture.push(SERVICES + "---\n" + extra);
    }

    /** A sidecar in the namespace with labels written {@code k=v,k2=v2}. */
    private static ProxyNode sidecar(String namespace, String labels) {
        Map<String, String> labelMap = new HashMap<>();
        for (String pair : labels.split(",")) {
            if (!pair.isEmpty()) {
                String[] kv = pair.split("=");
                labelMap.put(kv[0], kv[1]);
            }
        }
        return PushFixture.node("sidecar~10.0.0.9~client." + namespace + "~" + namespace + ".svc.cluster.local",
                labelMap);
    }

    private static Service reviews(PushContext push) {
        return push.service("reviews.bookinfo.svc.cluster.local", "bookinfo").map(ServiceInstances::service).orElseThrow();
    }

    private static String dr(String name, String namespace, String host, String subset) {
        return """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: %s, namespace: %s}
                spec:
                  host: "%s"
                  subsets: [{name: %s, labels: {version: %s}}]
                """.formatted(name, namespace, host, subset, subset);
    }

    @Test
    void destinationRuleLookupPrefersClientThenServiceThenRootNamespace() {
        PushContext push = push(dr("root", "istio-system", "reviews.bookinfo.svc.cluster.local", "root")
                + "---\n" + dr("svc", "bookinfo", "reviews", "svc")
                + "---\n" + dr("client", "frontend", "reviews.bookinfo.svc.cluster.local", "client"));

        assertThat(push.destinationRule("frontend", reviews(push)).orElseThrow().subsets())
                .extracting(s -> s.name()).containsExactly("client");
        assertThat(push.destinationRule("bookinfo", reviews(push)).orElseThrow().subsets())
                .extracting(s -> s.name()).containsExactly("svc");
        assertThat(push.destinationRule("elsewhere", reviews(push)).orElseThrow().subsets())
                .extracting(s -> s.name()).containsExactly("svc");
    }

    @Test
    void mostSpecificHostWinsAndSameHostRulesMergeSubsetsOldestPolicyFirst() {
        PushContext push = push(dr("wild", "bookinfo", "*.bookinfo.svc.cluster.local", "wild")
                + "---\n" + dr("a", "bookinfo", "reviews", "v1")
                + "---\n" + dr("b", "bookinfo", "reviews", "v2")
                + "---\n" + dr("c", "bookinfo", "reviews", "v1"));

        MergedDestinationRule rule = push.destinationRule("bookinfo", reviews(push)).orElseThrow();

        assertThat(rule.subsets()).extracting(s -> s.name()).containsExactly("v1", "v2");
        Service ratings = push.service("ratings.bookinfo.svc.cluster.local", "bookinfo").orElseThrow().service();
        assertThat(push.destinationRule("bookinfo", ratings).orElseThrow().subsets())
                .extracting(s -> s.name()).containsExactly("wild");
    }

    @Test
    void destinationRulesNotExportedToTheClientAreIgnored() {
        PushContext push = push(dr("private", "bookinfo", "reviews", "v1").replace("spec:\n",
                "spec:\n  exportTo: [\".\"]\n"));

        assertThat(push.destinationRule("bookinfo", reviews(push))).isPresent();
        assertThat(push.destinationRule("frontend", reviews(push))).isEmpty();
    }

    @Test
    void servicesFollowExportTo() {
        PushContext push = push("");

        assertThat(push.servicesFor(sidecar("bookinfo", ""))).extracting(s -> s.service().hostname())
                .contains("private.bookinfo.internal");
        assertThat(push.servicesFor(sidecar("frontend", ""))).extracting(s -> s.service().hostname())
                .containsExactly("ratings.bookinfo.svc.cluster.local", "reviews.bookinfo.svc.cluster.local");
    }

    /** Istio's annotation on a Kubernetes Service: the comma-separated exportTo of a ServiceEntry. */
    @Test
    void aServiceAnnotatedWithExportToIsSeenOnlyWhereItSays() {
        PushContext push = PushFixture.push("""
                apiVersion: v1
                kind: Service
                metadata:
                  name: internal
                  namespace: bookinfo
                  annotations: {networking.istio.io/exportTo: ".,ops"}
                spec:
                  selector: {app: internal}
                  ports: [{name: http, port: 8080}]
                ---
                apiVersion: v1
                kind: Service
                metadata:
                  name: hidden
                  namespace: bookinfo
                  annotations: {networking.istio.io/exportTo: "~"}
                spec:
                  ports: [{name: http, port: 8080}]
                """);

        assertThat(push.servicesFor(sidecar("bookinfo", ""))).extracting(s -> s.service().hostname())
                .contains("internal.bookinfo.svc.cluster.local", "hidden.bookinfo.svc.cluster.local");
        assertThat(push.servicesFor(sidecar("ops", ""))).extracting(s -> s.service().hostname())
                .containsExactly("internal.bookinfo.svc.cluster.local");
        assertThat(push.servicesFor(sidecar("frontend", ""))).isEmpty();
    }

    @Test
    void sidecarWithSelectorBeatsNamespaceDefaultWhichBeatsRootDefault() {
        PushContext push = push("""
                apiVersion: networking.istio.io/v1
                kind: Sidecar
                metadata: {name: default, namespace: istio-system}
                spec:
                  egress: [{hosts: ["*/ratings.bookinfo.svc.cluster.local"]}]
                ---
                apiVersion: networking.istio.io/v1
                kind: Sidecar
                metadata: {name: default, namespace: frontend}
                spec:
                  egress: [{hosts: ["bookinfo/reviews.bookinfo.svc.cluster.local"]}]
                  outboundTrafficPolicy: {mode: REGISTRY_ONLY}
                ---
                apiVersion: networking.istio.io/v1
                kind: Sidecar
                metadata: {name: special, namespace: frontend}
                spec:
                  workloadSelector: {labels: {app: special}}
                  egress: [{hosts: ["~/*"]}]
                """);

        assertThat(push.servicesFor(sidecar("other", ""))).extracting(s -> s.service().hostname())
                .containsExactly("ratings.bookinfo.svc.cluster.local");
        assertThat(push.sidecarScope(sidecar("other", "")).allowAnyOutbound()).isTrue();
        assertThat(push.servicesFor(sidecar("frontend", ""))).extracting(s -> s.service().hostname())
                .containsExactly("reviews.bookinfo.svc.cluster.local");
        assertThat(push.sidecarScope(sidecar("frontend", "")).allowAnyOutbound()).isFalse();
        assertThat(push.servicesFor(sidecar("frontend", "app=special"))).isEmpty();
    }

    @Test
    void virtualServicesAreIndexedByGatewayWithMeshAsDefault() {
        PushContext push = push("""
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: both, namespace: bookinfo}
                spec:
                  hosts: [reviews]
                  gateways: [mesh, ingress, other/edge]
                  http: [{route: [{destination: {host: reviews}}]}]
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: default-mesh, namespace: bookinfo}
                spec:
                  hosts: [ratings]
                  exportTo: ["."]
                  http: [{route: [{destination: {host: ratings}}]}]
                """);

        assertThat(push.virtualServices(PushContext.MESH_GATEWAY, "bookinfo")).extracting(r -> r.name())
                .containsExactly("both", "default-mesh");
        assertThat(push.virtualServices(PushContext.MESH_GATEWAY, "frontend")).extracting(r -> r.name())
                .containsExactly("both");
        assertThat(push.virtualServices("bookinfo/ingress", "bookinfo")).extracting(r -> r.name()).containsExactly("both");
        assertThat(push.virtualServices("other/edge", "other")).extracting(r -> r.name()).containsExactly("both");
    }

    /** The scope of a client in bookinfo. */
    private static SidecarScope egressScope(PushContext push) {
        return push.sidecarScope(sidecar("bookinfo", ""));
    }

    /** The namespace-wide Sidecar of bookinfo with these egress listeners (YAML list items). */
    private static PushContext withEgress(String listeners) {
        return push("""
                apiVersion: networking.istio.io/v1
                kind: Sidecar
                metadata: {name: default, namespace: bookinfo}
                spec:
                  egress:
                """ + listeners.indent(2));
    }

    @Test
    void aPortSpecificEgressListenerOwnsItsPortAndTheCatchAllTheRest() {
        PushContext push = withEgress("""
                - port: {number: 9080, protocol: HTTP, name: http}
                  hosts: [./reviews.bookinfo.svc.cluster.local]
                - hosts: ["./*"]
                """);
        SidecarScope scope = egressScope(push);
        Service ratings = push.service("ratings.bookinfo.svc.cluster.local", "bookinfo")
                .map(ServiceInstances::service).orElseThrow();

        assertThat(scope.admits(reviews(push), 9080)).isTrue();
        assertThat(scope.admits(ratings, 9080)).as("9080 belongs to the first listener").isFalse();
        assertThat(scope.admits(ratings, 9081)).as("other ports to the catch-all").isTrue();
        assertThat(scope.admits(ratings)).as("its clusters still exist").isTrue();
        assertThat(scope.egressListenerFor(9080).orElseThrow().port().number()).isEqualTo(9080);
        assertThat(scope.egressListenerFor(80).orElseThrow().port()).isNull();
    }

    @Test
    void withoutACatchAllOnlyTheListedPortsAreReached() {
        PushContext push = withEgress("""
                - port: {number: 9080, protocol: HTTP, name: http}
                  hosts: ["./*"]
                """);
        SidecarScope scope = egressScope(push);

        assertThat(scope.admits(reviews(push), 9080)).isTrue();
        assertThat(scope.admits(reviews(push), 9081)).isFalse();
        assertThat(scope.egressListenerFor(9081)).isEmpty();
    }

    @Test
    void securityPoliciesSelectFromTheWorkloadsAndTheRootNamespaceByLabels() {
        PushContext push = push("""
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: mesh-wide, namespace: istio-system}
                spec: {}
                ---
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: root-selecting, namespace: istio-system}
                spec: {selector: {matchLabels: {app: reviews}}}
                ---
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: namespace-wide, namespace: bookinfo}
                spec: {action: DENY, rules: [{}]}
                ---
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: ratings-only, namespace: bookinfo}
                spec: {selector: {matchLabels: {app: ratings}}}
                ---
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: other-namespace, namespace: other}
                spec: {}
                ---
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: gateway-bound, namespace: bookinfo}
                spec: {targetRefs: [{kind: Gateway, group: gateway.networking.k8s.io, name: gw}]}
                ---
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata: {name: reviews-strict, namespace: bookinfo}
                spec: {selector: {matchLabels: {app: reviews, version: v2}}, mtls: {mode: STRICT}}
                """);
        ProxyNode reviews = sidecar("bookinfo", "app=reviews,version=v1");
        assertThat(push.authorizationPoliciesFor(reviews)).extracting(r -> r.name())
                .containsExactlyInAnyOrder("mesh-wide", "root-selecting", "namespace-wide");
        assertThat(push.authorizationPoliciesFor(sidecar("bookinfo", "app=ratings"))).extracting(r -> r.name())
                .containsExactlyInAnyOrder("mesh-wide", "namespace-wide", "ratings-only");
        assertThat(push.peerAuthenticationsFor(reviews)).isEmpty();
        assertThat(push.peerAuthenticationsFor(sidecar("bookinfo", "app=reviews,version=v2"))).extracting(r -> r.name())
                .containsExactly("reviews-strict");
    }

    private static String telemetry(String name, String namespace, String selector, String created) {
        return """
                apiVersion: telemetry.istio.io/v1
                kind: Telemetry
                metadata: {name: %s, namespace: %s, creationTimestamp: "%s"}
                spec:
                  %s
                  accessLogging: [{providers: [{name: envoy}]}]
                """.formatted(name, namespace, created, selector.isEmpty() ? "" : "selector: {matchLabels: " + selector + "}");
    }

    @Test
    void telemetryIsPickedPerLevelTheOldestWinningAtEachLevel() {
        PushContext push = push(String.join("---\n",
                telemetry("mesh-default", "istio-system", "", "2024-01-02T00:00:00Z"),
                telemetry("mesh-newer", "istio-system", "", "2024-03-01T00:00:00Z"),
                telemetry("ns-default", "bookinfo", "", "2024-01-01T00:00:00Z"),
                telemetry("reviews-newer", "bookinfo", "{app: reviews}", "2024-02-01T00:00:00Z"),
                telemetry("reviews", "bookinfo", "{app: reviews}", "2024-01-05T00:00:00Z"),
                telemetry("other-ns", "retail", "", "2024-01-01T00:00:00Z")));

        var reviews = push.telemetryFor(sidecar("bookinfo", "app=reviews,version=v1"));
        assertThat(reviews.mesh()).get().extracting(r -> r.name()).isEqualTo("mesh-default");
        assertThat(reviews.namespace()).get().extracting(r -> r.name()).isEqualTo("ns-default");
        assertThat(reviews.workload()).get().extracting(r -> r.name()).isEqualTo("reviews");
        assertThat(reviews.widestFirst()).hasSize(3);

        var ratings = push.telemetryFor(sidecar("bookinfo", "app=ratings"));
        assertThat(ratings.workload()).as("the selector does not match").isEmpty();
        var elsewhere = push.telemetryFor(sidecar("shipping", "app=reviews"));
        assertThat(elsewhere.namespace()).isEmpty();
        assertThat(elsewhere.workload()).as("a selector selects in its own namespace only").isEmpty();
        assertThat(elsewhere.mesh()).isPresent();
    }
}
