package dev.weft.bench.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import dev.weft.bench.LatencySummary;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import java.util.List;
import org.junit.jupiter.api.Test;

class PushPartsTest {

    @Test
    void meshConfigIsBookinfoPlusTheExtraServices() {
        String yaml = MeshConfig.yaml(100);
        List<String> docs = List.of(yaml.split("(?m)^---$"));

        // 4 Services, 4 DestinationRules, 4 VirtualServices, then a Service and a VirtualService per extra service.
        assertThat(docs).hasSize(12 + 200);
        assertThat(yaml).contains("name: svc-099").doesNotContain("svc-100");
        assertThat(MeshConfig.reviewsSplit()).contains("subset: v3", "weight: 50");
    }

    @Test
    void subscribesToTheRoutesItsListenersNameAndTheEndpointsOfEdsClusters() {
        Listener http = Listener.newBuilder().setName("0.0.0.0_9080").addFilterChains(FilterChain.newBuilder()
                .addFilters(Filter.newBuilder().setName("envoy.filters.network.http_connection_manager")
                        .setTypedConfig(Any.pack(HttpConnectionManager.newBuilder()
                                .setRds(Rds.newBuilder().setRouteConfigName("9080")).build())))).build();
        Listener tcp = Listener.newBuilder().setName("0.0.0.0_3306").addFilterChains(FilterChain.newBuilder()
                .addFilters(Filter.newBuilder().setTypedConfig(Any.pack(TcpProxy.newBuilder().setCluster("db").build()))))
                .build();
        Cluster eds = Cluster.newBuilder().setName("outbound|9080||reviews.default.svc.cluster.local")
                .setType(Cluster.DiscoveryType.EDS).build();
        Cluster passthrough = Cluster.newBuilder().setName("PassthroughCluster")
                .setType(Cluster.DiscoveryType.ORIGINAL_DST).build();

        assertThat(SimulatedProxy.routeConfigNames(List.of(Any.pack(http), Any.pack(tcp)))).containsExactly("9080");
        assertThat(SimulatedProxy.edsClusters(List.of(Any.pack(eds), Any.pack(passthrough))))
                .containsExactly("outbound|9080||reviews.default.svc.cluster.local");
    }

    @Test
    void readsLiveHeapFromJcmd() {
        assertThat(WeftdProcess.parseHeapUsedKb("""
                5376:
                DefNew     total 116160K, used 31009K [0x0000000687400000, 0x000000068f200000, 0x0000000704d50000)
                 eden space 103296K,  30% used [0x0000000687400000, 0x0000000689248590, 0x000000068d8e0000)
                 from space 12864K,   0% used [0x000000068d8e0000, 0x000000068d8e0000, 0x000000068e570000)
                Tenured    total 258048K, used 1166K [0x0000000704d50000, 0x0000000714950000, 0x0000000800000000)
                 the  space 258048K,   0% used [0x0000000704d50000, 0x0000000704e73ab8, 0x0000000714950000)
                """)).as("Serial's young and old generations").isEqualTo(31009 + 1166);
        assertThat(WeftdProcess.parseHeapUsedKb("""
                12345:
                 garbage-first heap   total 262144K, used 23456K [0x0000000700000000, 0x0000000800000000)
                """)).isEqualTo(23456);
        assertThatThrownBy(() -> WeftdProcess.parseHeapUsedKb("12345:\nnot a heap")).hasMessageContaining("no heap use");
    }

    @Test
    void readsTheThreadCountFromProcStatus() {
        assertThat(WeftdProcess.parseThreads("""
                Name:\tjava
                VmRSS:\t  201234 kB
                Threads:\t27
                SigQ:\t0/7823
                """)).isEqualTo(27);
        assertThatThrownBy(() -> WeftdProcess.parseThreads("Name:\tjava\n")).hasMessageContaining("no Threads line");
    }

    @Test
    void tableShowsThreadsAndTheMachineLoadBesideEachFleetSize() {
        LatencySummary fromChange = LatencySummary.ofNanos(new long[] {200_000_000L, 300_000_000L});
        LatencySummary afterDebounce = LatencySummary.ofNanos(new long[] {100_000_000L, 200_000_000L});
        PushResult result = new PushResult(1000, 12.5, 50_000, 74_000, 24.0, 8.4, 1.5, 1000, fromChange, afterDebounce, 100,
                1000, 19, "3.10 2.00 1.50", "4.20 2.50 1.60", null);

        String table = PushMarkdown.render("", List.of(result));

        assertThat(table).contains("| weftd threads | load avg before / after | note |")
                .contains("| 1000 | 12.5 | 200 | 300 | 300 | 100 | 200 | 200 | 24.0 | 8.40 | 1.50 | 19 | 3.10 2.00 1.50 / 4.20 2.50 1.60 |  |");
    }
}
