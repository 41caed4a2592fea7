package dev.weft.proxy.listener;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.proxy.matcher.CidrRange;
import dev.weft.proxy.router.ClusterSpecifier;
import dev.weft.proxy.stats.Stats;
import dev.weft.proxy.tcp.TcpProxyConfig;
import dev.weft.proxy.tcp.TcpProxyStats;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FilterChainSelectorTest {

    private static FilterChainConfig chain(String name, int port, Set<String> sni, String transport, Set<String> alpn,
            List<CidrRange> sources) {
        return chain(name, port, List.of(), sni, transport, alpn, sources);
    }

    private static FilterChainConfig chain(String name, int port, List<CidrRange> destinations, Set<String> sni,
            String transport, Set<String> alpn, List<CidrRange> sources) {
        TcpProxyConfig tcp = new TcpProxyConfig(name, new ClusterSpecifier.Single(name), Duration.ofHours(1), 1,
                new TcpProxyStats(new Stats(), name), List.of());
        return new FilterChainConfig(name, new FilterChainMatchSpec(port, destinations, sni, transport, alpn, sources),
                new NetworkFilter.Tcp(tcp));
    }

    private static String select(ListenerConfig l, int port, String sni, String transport, List<String> alpn, String source)
            throws Exception {
        return select(l, port, "127.0.0.1", sni, transport, alpn, source);
    }

    private static String select(ListenerConfig l, int port, String destination, String sni, String transport,
            List<String> alpn, String source) throws Exception {
        FilterChainConfig c = FilterChainSelector.select(l, new FilterChainSelector.ConnectionFacts(port,
                InetAddress.getByName(destination), sni, transport,
                alpn, source == null ? null : InetAddress.getByName(source)));
        return c == null ? "none" : c.name();
    }

    @Test
    void mostSpecificCriteriaWinInEnvoysOrder() throws Exception {
        ListenerConfig l = new ListenerConfig("l", "0.0.0.0", 15006, List.of(
                chain("any", 0, Set.of(), "", Set.of(), List.of()),
                chain("port-9080", 9080, Set.of(), "", Set.of(), List.of()),
                chain("port-9080-tls", 9080, Set.of(), "tls", Set.of(), List.of()),
                chain("sni-exact", 0, Set.of("api.example.com"), "tls", Set.of(), List.of()),
                chain("sni-wild", 0, Set.of("*.example.com"), "tls", Set.of(), List.of()),
                chain("h2c", 0, Set.of(), "raw_buffer", Set.of("h2c"), List.of()),
                chain("internal", 7000, Set.of(), "", Set.of(), List.of(CidrRange.parse("10.0.0.0", 8)))),
                chain("default", 0, Set.of(), "", Set.of(), List.of()), true, true, false, false);

        assertThat(select(l, 9080, null, "raw_buffer", null, "1.2.3.4")).isEqualTo("port-9080");
        assertThat(select(l, 9080, null, "tls", null, "1.2.3.4")).isEqualTo("port-9080-tls");
        assertThat(select(l, 443, "api.example.com", "tls", null, null)).isEqualTo("sni-exact");
        assertThat(select(l, 443, "www.example.com", "tls", null, null)).isEqualTo("sni-wild");
        assertThat(select(l, 80, null, "raw_buffer", List.of("h2c"), null)).isEqualTo("h2c");
        // Like Envoy, no backtracking: raw_buffer picked the h2c branch, whose ALPN does not match, so the default applies.
        assertThat(select(l, 80, null, "raw_buffer", List.of("http/1.1"), null)).isEqualTo("default");
        assertThat(select(l, 80, null, "tls", null, null)).isEqualTo("any");
        assertThat(select(l, 7000, null, "raw_buffer", null, "10.1.2.3")).isEqualTo("internal");
        assertThat(select(l, 7000, null, "raw_buffer", null, "192.168.1.1")).isEqualTo("default");
    }

    @Test
    void destinationPrefixRangesPreferTheLongestMatch() throws Exception {
        ListenerConfig l = new ListenerConfig("l", "0.0.0.0", 9080, List.of(
                chain("wide", 9080, List.of(CidrRange.parse("10.0.0.0", 8)), Set.of(), "", Set.of(), List.of()),
                chain("narrow", 9080, List.of(CidrRange.parse("10.96.1.0", 24)), Set.of(), "", Set.of(), List.of()),
                chain("host", 9080, List.of(CidrRange.parse("10.96.1.7", -1)), Set.of(), "", Set.of(), List.of()),
                chain("rest", 9080, Set.of(), "", Set.of(), List.of())), null, false, false, true, false);
        assertThat(select(l, 9080, "10.96.1.7", null, "raw_buffer", null, null)).isEqualTo("host");
        assertThat(select(l, 9080, "10.96.1.8", null, "raw_buffer", null, null)).isEqualTo("narrow");
        assertThat(select(l, 9080, "10.1.1.1", null, "raw_buffer", null, null)).isEqualTo("wide");
        assertThat(select(l, 9080, "192.168.0.1", null, "raw_buffer", null, null)).isEqualTo("rest");
    }

    @Test
    void cidrRangesCompareOnlyThePrefix() throws Exception {
        CidrRange r = CidrRange.parse("192.168.4.0", 22);
        assertThat(r.contains(InetAddress.getByName("192.168.7.255"))).isTrue();
        assertThat(r.contains(InetAddress.getByName("192.168.8.0"))).isFalse();
        assertThat(r.contains(InetAddress.getByName("::1"))).isFalse();
    }
}
