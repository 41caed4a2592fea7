package dev.weft.proxy.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.BoolValue;
import dev.weft.proxy.config.ConfigException;
import io.envoyproxy.envoy.config.metrics.v3.StatsMatcher;
import io.envoyproxy.envoy.config.metrics.v3.TagSpecifier;
import io.envoyproxy.envoy.type.matcher.v3.ListStringMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus names of Envoy stats: Envoy's default tags, Istio's bootstrap tags and stats matcher (the regexes
 * below are those of Istio's {@code envoy_bootstrap.json}), and cluster names with dots kept whole.
 */
class PrometheusFormatTest {

    private static final String REVIEWS = "outbound|9080||reviews.default.svc.cluster.local";
    private static final String HTTPBIN_ORG = "outbound|80||httpbin.org";
    private static final Set<String> CLUSTERS = Set.of(REVIEWS, HTTPBIN_ORG, "xds-grpc");

    private static Stats stats() {
        Stats stats = new Stats();
        stats.counter("cluster." + REVIEWS + ".upstream_rq_200").add(7);
        stats.counter("cluster." + REVIEWS + ".upstream_rq_2xx").add(7);
        stats.counter("cluster." + HTTPBIN_ORG + ".upstream_rq_total").add(3);
        stats.gauge("cluster.xds-grpc.upstream_cx_active").increment();
        stats.counter("http.inbound_0.0.0.0_9080.downstream_rq_total").add(5);
        stats.counter("http.10.0.0.1_9080.downstream_rq_total").add(2);
        stats.counter("http.ingress_http.downstream_rq_total").add(6);
        stats.counter("http.inbound_0.0.0.0_9080.rbac.denied").add(4);
        stats.counter("http.inbound_0.0.0.0_9080.rbac.policy.ns[default]-policy[deny].denied").add(4);
        stats.counter("tcp.inbound_0.0.0.0_3306.downstream_cx_total").add(1);
        stats.counter("listener.0.0.0.0_15006.downstream_cx_total").add(9);
        stats.counter("server.live").increment();
        return stats;
    }

    /** Istio's stats_config: its own tags, no Envoy defaults, and only the stats its bootstrap includes. */
    private static io.envoyproxy.envoy.config.metrics.v3.StatsConfig istio(String... extraPrefixes) {
        var config = io.envoyproxy.envoy.config.metrics.v3.StatsConfig.newBuilder()
                .setUseAllDefaultTags(BoolValue.of(false))
                .addStatsTags(tag("cluster_name", "^cluster\\.((.+?(\\..+?\\.svc\\.cluster\\.local)?)\\.)"))
                .addStatsTags(tag("tcp_prefix", "^tcp\\.((.*?)\\.)\\w+?$"))
                .addStatsTags(tag("response_code", "(response_code=\\.=(.+?);\\.;)|_rq(_(\\.d{3}))$"))
                .addStatsTags(tag("response_code_class", "_rq(_(\\dxx))$"))
                .addStatsTags(tag("http_conn_manager_listener_prefix",
                        "^listener(?=\\.).*?\\.http\\.(((?:[_.[:digit:]]*|[_\\[\\]aAbBcCdDeEfF[:digit:]]*))\\.)"))
                .addStatsTags(tag("http_conn_manager_prefix",
                        "^http\\.(((?:[_.[:digit:]]*|[_\\[\\]aAbBcCdDeEfF[:digit:]]*))\\.)"))
                .addStatsTags(tag("listener_address",
                        "^listener\\.(((?:[_.[:digit:]]*|[_\\[\\]aAbBcCdDeEfF[:digit:]]*))\\.)"));
        ListStringMatcher.Builder included = ListStringMatcher.newBuilder();
        for (String prefix : new String[] {"reporter=", "cluster_manager", "listener_manager", "server",
                "cluster.xds-grpc", "wasm", "component"}) {
            included.addPatterns(StringMatcher.newBuilder().setPrefix(prefix));
        }
        for (String suffix : new String[] {"rbac.allowed", "rbac.denied", "shadow_allowed", "shadow_denied",
                "downstream_cx_active"}) {
            included.addPatterns(StringMatcher.newBuilder().setSuffix(suffix));
        }
        for (String prefix : extraPrefixes) {
            included.addPatterns(StringMatcher.newBuilder().setPrefix(prefix));
        }
        return config.setStatsMatcher(StatsMatcher.newBuilder().setInclusionList(included)).build();
    }

    private static TagSpecifier tag(String name, String regex) {
        return TagSpecifier.newBuilder().setTagName(name).setRegex(regex).build();
    }

    @Test
    void envoysDefaultTagsCutClusterPrefixAndResponseCodeOutOfTheName() {
        String text = new PrometheusFormat(StatsConfig.ENVOY_DEFAULTS).render(stats(), CLUSTERS);
        assertThat(text)
                .contains("envoy_cluster_upstream_rq{envoy_cluster_name=\"" + REVIEWS + "\",envoy_response_code=\"200\"} 7")
                .contains("envoy_cluster_upstream_rq{envoy_cluster_name=\"" + REVIEWS
                        + "\",envoy_response_code_class=\"2xx\"} 7")
                .contains("envoy_cluster_upstream_rq_total{envoy_cluster_name=\"" + HTTPBIN_ORG + "\"} 3")
                .contains("envoy_http_downstream_rq_total{envoy_http_conn_manager_prefix=\"ingress_http\"} 6")
                .as("Envoy's default prefix tag stops at the first dot")
                .contains("envoy_http_0_0_0_9080_downstream_rq_total{envoy_http_conn_manager_prefix=\"inbound_0\"} 5")
                .contains("envoy_http_0_0_0_9080_rbac_policy_denied{envoy_http_conn_manager_prefix=\"inbound_0\","
                        + "envoy_rbac_policy=\"ns[default]-policy[deny]\"} 4")
                .contains("envoy_tcp_downstream_cx_total{envoy_tcp_prefix=\"inbound_0.0.0.0_3306\"} 1")
                .contains("envoy_listener_downstream_cx_total{envoy_listener_address=\"0.0.0.0_15006\"} 9")
                .contains("envoy_server_live 1");
    }

    @Test
    void istiosBootstrapShowsOnlyItsStatsUnderItsTagNames() {
        String text = new PrometheusFormat(StatsConfig.of(istio())).render(stats(), CLUSTERS);
        assertThat(text)
                .contains("envoy_cluster_upstream_cx_active{cluster_name=\"xds-grpc\"} 1")
                .contains("envoy_http_inbound_0_0_0_0_9080_rbac_denied 4")
                .contains("envoy_server_live 1")
                .doesNotContain("upstream_rq_total", "downstream_rq_total", "downstream_cx_total", "rbac_policy");
    }

    @Test
    void proxyStatsMatcherPrefixesAddStatsWithIstiosTagsAndWholeClusterNames() {
        String text = new PrometheusFormat(StatsConfig.of(istio("cluster.outbound", "http.", "tcp.", "listener.")))
                .render(stats(), CLUSTERS);
        assertThat(text)
                .as("Istio's response_code regex matches its own metrics' names, not Envoy's _rq_200")
                .contains("envoy_cluster_upstream_rq_200{cluster_name=\"" + REVIEWS + "\"} 7")
                .contains("envoy_cluster_upstream_rq{cluster_name=\"" + REVIEWS + "\",response_code_class=\"2xx\"} 7")
                .as("Istio's regex would cut this name at its first dot; the proxy knows where it ends")
                .contains("envoy_cluster_upstream_rq_total{cluster_name=\"" + HTTPBIN_ORG + "\"} 3")
                .as("Istio's prefix tag takes only address-like prefixes")
                .contains("envoy_http_inbound_0_0_0_0_9080_downstream_rq_total 5")
                .contains("envoy_http_downstream_rq_total{http_conn_manager_prefix=\"10.0.0.1_9080\"} 2")
                .contains("envoy_tcp_downstream_cx_total{tcp_prefix=\"inbound_0.0.0.0_3306\"} 1")
                .contains("envoy_listener_downstream_cx_total{listener_address=\"0.0.0.0_15006\"} 9");
    }

    @Test
    void fixedValuesLabelEveryStatAndExclusionListsHide() {
        var config = io.envoyproxy.envoy.config.metrics.v3.StatsConfig.newBuilder()
                .addStatsTags(TagSpecifier.newBuilder().setTagName("mesh").setFixedValue("weft"))
                .setStatsMatcher(StatsMatcher.newBuilder().setExclusionList(ListStringMatcher.newBuilder()
                        .addPatterns(StringMatcher.newBuilder().setPrefix("cluster.")))).build();
        String text = new PrometheusFormat(StatsConfig.of(config)).render(stats(), CLUSTERS);
        assertThat(text).contains("envoy_server_live{mesh=\"weft\"} 1").doesNotContain("envoy_cluster_");
    }

    @Test
    void aTagWithABadRegexOrNoValueIsAConfigError() {
        var badRegex = io.envoyproxy.envoy.config.metrics.v3.StatsConfig.newBuilder()
                .addStatsTags(tag("broken", "^cluster\\.((.+?)\\.")).build();
        assertThatThrownBy(() -> StatsConfig.of(badRegex)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("stats_config.stats tag 'broken': invalid regex");
        var noValue = io.envoyproxy.envoy.config.metrics.v3.StatsConfig.newBuilder()
                .addStatsTags(TagSpecifier.newBuilder().setTagName("envoy.cluster_name")).build();
        assertThatThrownBy(() -> StatsConfig.of(noValue)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("give a regex");
    }
}
