package dev.weft.xds.authz;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.weft.xds.PushFixture;
import dev.weft.xds.listener.ListenerGenerator;
import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.push.PushContext;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.rbac.v3.Policy;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Bookinfo with the policies of Istio's "Authorization for HTTP traffic" task (allow-nothing in {@code default},
 * then a viewer policy per service) and one on the ingress gateway: each workload's inbound listeners carry the
 * rbac filters of the policies that select it, ahead of the connection manager's own filters, and nothing else
 * does (outbound listeners, workloads in other namespaces).
 */
class AuthorizationListenersTest {

    private static final String CONFIG = """
            apiVersion: v1
            kind: Service
            metadata: {name: productpage, namespace: default}
            spec: {selector: {app: productpage}, ports: [{name: http, port: 9080}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: details, namespace: default}
            spec: {selector: {app: details}, ports: [{name: http, port: 9080}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: ratings, namespace: default}
            spec: {selector: {app: ratings}, ports: [{name: http, port: 9080}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: mongodb, namespace: default}
            spec: {selector: {app: mongodb}, ports: [{name: mongo, port: 27017}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: sleep, namespace: other}
            spec: {selector: {app: sleep}, ports: [{name: http, port: 80}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: istio-ingressgateway, namespace: istio-system}
            spec:
              selector: {istio: ingressgateway}
              ports: [{name: http2, port: 80, targetPort: 8080}]
            ---
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: bookinfo-gateway, namespace: default}
            spec:
              selector: {istio: ingressgateway}
              servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}]
            ---
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: allow-nothing, namespace: default}
            spec: {}
            ---
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: productpage-viewer, namespace: default}
            spec:
              selector: {matchLabels: {app: productpage}}
              action: ALLOW
              rules: [{to: [{operation: {methods: ["GET"]}}]}]
            ---
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: details-viewer, namespace: default}
            spec:
              selector: {matchLabels: {app: details}}
              action: ALLOW
              rules:
              - from: [{source: {principals: ["cluster.local/ns/default/sa/bookinfo-productpage"]}}]
                to: [{operation: {methods: ["GET"]}}]
            ---
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: ratings-viewer, namespace: default}
            spec:
              selector: {matchLabels: {app: ratings}}
              action: ALLOW
              rules:
              - from: [{source: {principals: ["cluster.local/ns/default/sa/bookinfo-reviews"]}}]
                to: [{operation: {methods: ["GET"]}}]
            ---
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: ingress-policy, namespace: istio-system}
            spec:
              selector: {matchLabels: {istio: ingressgateway}}
              action: DENY
              rules: [{from: [{source: {remoteIpBlocks: ["203.0.113.0/24"]}}]}]
            """;

    private final PushContext push = push();

    @Test
    void productpageAllowsGetOnlyOnItsInboundPort() throws InvalidProtocolBufferException {
        List<Listener> listeners = ListenerGenerator.generate(push, sidecar("default", "productpage"));

        List<HttpFilter> filters = httpFilters(inboundChain(listeners, 9080));
        assertThat(filters).extracting(HttpFilter::getName).containsExactly("envoy.filters.http.rbac",
                "envoy.filters.http.fault", "envoy.filters.http.cors", "envoy.filters.http.router");
        RBAC rules = httpRbac(filters.getFirst()).getRules();
        assertThat(rules.getAction()).isEqualTo(RBAC.Action.ALLOW);
        assertThat(rules.getPoliciesMap()).containsOnlyKeys("ns[default]-policy[allow-nothing]-rule[0]",
                "ns[default]-policy[productpage-viewer]-rule[0]");
        assertThat(rules.getPoliciesMap().get("ns[default]-policy[productpage-viewer]-rule[0]").toString())
                .contains("name: \":method\"").contains("exact: \"GET\"");
    }

    @Test
    void detailsAndRatingsAllowOnlyTheirCallersIdentity() throws InvalidProtocolBufferException {
        Map<String, String> callers = Map.of("details", "bookinfo-productpage", "ratings", "bookinfo-reviews");
        for (Map.Entry<String, String> service : callers.entrySet()) {
            List<Listener> listeners = ListenerGenerator.generate(push, sidecar("default", service.getKey()));

            RBAC rules = httpRbac(httpFilters(inboundChain(listeners, 9080)).getFirst()).getRules();
            Policy viewer = rules.getPoliciesMap()
                    .get("ns[default]-policy[" + service.getKey() + "-viewer]-rule[0]");
            assertThat(viewer.getPrincipals(0).getAndIds().getIds(0).getOrIds().getIds(0).getAuthenticated()
                    .getPrincipalName().getExact())
                    .isEqualTo("spiffe://cluster.local/ns/default/sa/" + service.getValue());
            assertThat(rules.getPoliciesMap()).hasSize(2);
        }
    }

    @Test
    void tcpPortsAndUndeclaredPortsGetTheNetworkFilterSoAllowNothingHolds() throws InvalidProtocolBufferException {
        List<Listener> listeners = ListenerGenerator.generate(push, sidecar("default", "mongodb"));

        List<Filter> tcp = inboundChain(listeners, 27017).getFiltersList();
        assertThat(tcp).extracting(Filter::getName)
                .containsExactly("istio.metadata_exchange", "istio.stats", "envoy.filters.network.rbac",
                        "envoy.filters.network.tcp_proxy");
        FilterChain passthrough = listeners.stream().filter(l -> l.getName().equals("virtualInbound")).findFirst()
                .orElseThrow().getDefaultFilterChain();
        assertThat(passthrough.getFiltersList()).extracting(Filter::getName)
                .containsExactly("istio.metadata_exchange", "envoy.filters.network.rbac",
                        "envoy.filters.network.tcp_proxy");
        var rbac = tcp.get(2).getTypedConfig().unpack(io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.class);
        assertThat(rbac.getStatPrefix()).isEqualTo("tcp.");
        assertThat(rbac.getRules().getPoliciesMap()).containsOnlyKeys("ns[default]-policy[allow-nothing]-rule[0]");
    }

    @Test
    void outboundListenersAndOtherNamespacesHaveNoRbac() {
        List<Listener> productpage = ListenerGenerator.generate(push, sidecar("default", "productpage"));
        assertThat(productpage.stream().filter(l -> !l.getName().equals("virtualInbound"))
                .flatMap(AuthorizationListenersTest::filterNames)).isNotEmpty().noneMatch(n -> n.contains("rbac"));

        List<Listener> sleep = ListenerGenerator.generate(push, sidecar("other", "sleep"));
        assertThat(sleep.stream().flatMap(AuthorizationListenersTest::filterNames)).isNotEmpty()
                .noneMatch(n -> n.contains("rbac"));
    }

    @Test
    void ingressGatewayGetsThePoliciesSelectingItAndNotTheNamespaceWideOnesOfDefault()
            throws InvalidProtocolBufferException {
        ProxyNode gateway = PushFixture.node(
                "router~10.0.9.1~istio-ingressgateway-xyz.istio-system~istio-system.svc.cluster.local",
                Map.of("istio", "ingressgateway"));
        List<Listener> listeners = ListenerGenerator.generate(push, gateway);

        Listener http = listeners.stream().filter(l -> l.getName().equals("0.0.0.0_8080")).findFirst().orElseThrow();
        List<HttpFilter> filters = httpFilters(http.getFilterChains(0));
        assertThat(filters.getFirst().getName()).isEqualTo("envoy.filters.http.rbac");
        RBAC rules = httpRbac(filters.getFirst()).getRules();
        assertThat(rules.getAction()).isEqualTo(RBAC.Action.DENY);
        assertThat(rules.getPoliciesMap()).containsOnlyKeys("ns[istio-system]-policy[ingress-policy]-rule[0]");
        assertThat(filters).filteredOn(f -> f.getName().equals("envoy.filters.http.rbac")).hasSize(1);
    }

    private static PushContext push() {
        return PushFixture.push(CONFIG);
    }

    private static ProxyNode sidecar(String namespace, String app) {
        return PushFixture.node(
                "sidecar~10.0.0.7~" + app + "-v1-abc." + namespace + "~" + namespace + ".svc.cluster.local",
                Map.of("app", app));
    }

    private static FilterChain inboundChain(List<Listener> listeners, int port) {
        return listeners.stream().filter(l -> l.getName().equals("virtualInbound")).findFirst().orElseThrow()
                .getFilterChainsList().stream()
                .filter(c -> c.getFilterChainMatch().getDestinationPort().getValue() == port)
                .findFirst().orElseThrow();
    }

    /** The connection manager's filters after Istio's stats filter, which always comes first. */
    private static List<HttpFilter> httpFilters(FilterChain chain) throws InvalidProtocolBufferException {
        Filter hcm = chain.getFiltersList().stream()
                .filter(f -> f.getName().equals("envoy.filters.network.http_connection_manager")).findFirst()
                .orElseThrow();
        List<HttpFilter> all = hcm.getTypedConfig().unpack(HttpConnectionManager.class).getHttpFiltersList();
        assertThat(all.getFirst().getName()).isEqualTo("istio.stats");
        return all.subList(1, all.size());
    }

    private static io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC httpRbac(HttpFilter filter)
            throws InvalidProtocolBufferException {
        return filter.getTypedConfig().unpack(io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.class);
    }

    /** Every network and HTTP filter name of a listener. */
    private static Stream<String> filterNames(Listener listener) {
        return Stream.concat(listener.getFilterChainsList().stream(), Stream.of(listener.getDefaultFilterChain()))
                .flatMap(chain -> chain.getFiltersList().stream())
                .flatMap(filter -> {
                    if (!filter.getName().equals("envoy.filters.network.http_connection_manager")) {
                        return Stream.of(filter.getName());
                    }
                    try {
                        return Stream.concat(Stream.of(filter.getName()), filter.getTypedConfig()
                                .unpack(HttpConnectionManager.class).getHttpFiltersList().stream()
                                .map(HttpFilter::getName));
                    } catch (InvalidProtocolBufferException e) {
                        throw new IllegalStateException(e);
                    }
                });
    }
}
