package dev.weft.proxy.listener;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.proxy.Commands;
import dev.weft.proxy.ProxyHarness;
import dev.weft.testing.Template;
import dev.weft.testing.upstream.ResettingServer;
import dev.weft.testing.upstream.TcpEchoServer;
import io.netty.channel.epoll.Epoll;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The hand-off under real capture: a client in its own network namespace connects to addresses the host does not
 * have; the host's nat PREROUTING rules on the namespace's veth REDIRECT it to the proxy, which reads
 * SO_ORIGINAL_DST and hands the connection to the listener at that destination, as a sidecar's 15001 and 15006 do.
 * Needs root, iproute2, iptables and epoll: fails in CI ({@code CI=true}) without them, is skipped elsewhere.
 */
class IptablesHandOffTest {

    private final TcpEchoServer passthrough = TcpEchoServer.start("P:");
    private final TcpEchoServer outbound = TcpEchoServer.start("O:");
    private final TcpEchoServer inbound = TcpEchoServer.start("I:");
    private final List<List<String>> cleanup = new ArrayList<>();
    private String namespace;
    private String hostAddress;
    private final int inboundPort = ResettingServer.closedPort();
    private final int outboundPort = ResettingServer.closedPort();
    private ProxyHarness proxy;

    @BeforeEach
    void captureNetwork() {
        List<String> missing = new ArrayList<>();
        if (!"0".equals(Commands.run(List.of("id", "-u")).output().trim())) {
            missing.add("root");
        }
        for (String tool : List.of("ip", "iptables")) {
            if (List.of("/usr/sbin/", "/sbin/", "/usr/bin/", "/bin/").stream().noneMatch(d -> Files.isExecutable(Path.of(d + tool)))) {
                missing.add(tool);
            }
        }
        if (!Epoll.isAvailable()) {
            missing.add("epoll (SO_ORIGINAL_DST)");
        }
        if ("true".equals(System.getenv("CI"))) {
            assertThat(missing).as("CI runs as root with iproute2 and iptables").isEmpty();
        }
        Assumptions.assumeTrue(missing.isEmpty(), () -> "needs " + String.join(", ", missing));
        int id = ThreadLocalRandom.current().nextInt(1, 16_000);
        namespace = "weftp" + id;
        String hostSide = "wph" + id;
        String clientSide = "wpn" + id;
        String subnet = "10.253." + (id >> 6) + ".";
        int base = (id & 63) * 4;
        hostAddress = subnet + (base + 1);
        sh("ip", "netns", "add", namespace);
        cleanup.add(List.of("ip", "netns", "del", namespace));
        sh("ip", "link", "add", hostSide, "type", "veth", "peer", "name", clientSide);
        cleanup.add(0, List.of("ip", "link", "del", hostSide));
        sh("ip", "link", "set", clientSide, "netns", namespace);
        sh("ip", "addr", "add", hostAddress + "/30", "dev", hostSide);
        sh("ip", "link", "set", hostSide, "up");
        inNamespace("ip", "addr", "add", subnet + (base + 2) + "/30", "dev", clientSide);
        inNamespace("ip", "link", "set", clientSide, "up");
        inNamespace("ip", "route", "add", "default", "via", hostAddress);
        redirect(hostSide, "9090", inboundPort);
        redirect(hostSide, null, outboundPort);
    }

    @AfterEach
    void removeCaptureNetwork() {
        if (proxy != null) {
            proxy.close();
        }
        cleanup.forEach(Commands::run);
        passthrough.close();
        outbound.close();
        inbound.close();
    }

    @Test
    void redirectedConnectionsReachTheListenerAtTheirOriginalDestination() {
        proxy = ProxyHarness.start(Template.of("""
                static_resources:
                  listeners:
                  - name: virtualOutbound
                    address: { socket_address: { address: ${host}, port_value: ${outboundPort} } }
                    use_original_dst: true
                    filter_chains:
                    - filters: [ { name: tcp, typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy, stat_prefix: t, cluster: passthrough } } ]
                  - name: 0.0.0.0_9080
                    address: { socket_address: { address: 0.0.0.0, port_value: 9080 } }
                    bind_to_port: false
                    filter_chains:
                    - filters: [ { name: tcp, typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy, stat_prefix: t, cluster: outbound } } ]
                  - name: 0.0.0.0_9090
                    address: { socket_address: { address: 0.0.0.0, port_value: 9090 } }
                    bind_to_port: false
                    filter_chains:
                    - filters: [ { name: tcp, typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy, stat_prefix: t, cluster: outbound } } ]
                  - name: virtualInbound
                    address: { socket_address: { address: ${host}, port_value: ${inboundPort} } }
                    listener_filters: [ { name: envoy.filters.listener.original_dst, typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.listener.original_dst.v3.OriginalDst } } ]
                    filter_chains:
                    - filter_chain_match: { destination_port: 9090 }
                      filters: [ { name: tcp, typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy, stat_prefix: t, cluster: inbound } } ]
                    - filters: [ { name: tcp, typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy, stat_prefix: t, cluster: passthrough } } ]
                  clusters:
                  - name: passthrough
                    load_assignment: { cluster_name: passthrough, endpoints: [ { lb_endpoints: [ { endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: ${passthrough} } } } } ] } ] }
                  - name: outbound
                    load_assignment: { cluster_name: outbound, endpoints: [ { lb_endpoints: [ { endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: ${outbound} } } } } ] } ] }
                  - name: inbound
                    load_assignment: { cluster_name: inbound, endpoints: [ { lb_endpoints: [ { endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: ${inbound} } } } } ] } ] }
                """).render(Map.of("host", hostAddress, "outboundPort", outboundPort, "inboundPort", inboundPort,
                "passthrough", passthrough.port(), "outbound", outbound.port(), "inbound", inbound.port())));

        assertThat(exchangeFromNamespace("10.251.1.5", 9080)).as("handed to 0.0.0.0_9080").isEqualTo("O:x");
        assertThat(exchangeFromNamespace("10.251.1.5", 7777)).as("no listener there: passthrough").isEqualTo("P:x");
        assertThat(exchangeFromNamespace("10.251.1.6", 9090))
                .as("the original_dst filter alone (Istio's virtualInbound) restores, never hands off").isEqualTo("I:x");
        assertThat(proxy.server().stats().value("listener.0.0.0.0_9080.downstream_cx_total")).isEqualTo(1);
        assertThat(proxy.server().stats().value("listener." + hostAddress + "_" + outboundPort + ".downstream_cx_total"))
                .isEqualTo(1);
    }

    /** Sends "x" from inside the namespace over bash's /dev/tcp and returns the first three bytes of the answer. */
    private String exchangeFromNamespace(String address, int port) {
        Commands.Result r = Commands.run(List.of("ip", "netns", "exec", namespace, "timeout", "10", "bash", "-c",
                "exec 3<>/dev/tcp/" + address + "/" + port + " && printf x >&3 && head -c 3 <&3"));
        assertThat(r.exit()).as("client in the namespace: %s", r.output()).isZero();
        return r.output();
    }

    /** Redirects TCP arriving on the veth (to {@code dport}, or to any port when null) to the proxy's port. */
    private void redirect(String device, String dport, int toPort) {
        List<String> rule = new ArrayList<>(List.of("PREROUTING", "-i", device, "-p", "tcp"));
        if (dport != null) {
            rule.addAll(List.of("--dport", dport));
        }
        rule.addAll(List.of("-j", "REDIRECT", "--to-ports", Integer.toString(toPort)));
        List<String> add = new ArrayList<>(List.of("iptables", "-w", "-t", "nat", "-A"));
        add.addAll(rule);
        sh(add.toArray(String[]::new));
        List<String> delete = new ArrayList<>(List.of("iptables", "-w", "-t", "nat", "-D"));
        delete.addAll(rule);
        cleanup.add(0, delete);
    }

    private void inNamespace(String... command) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        cmd.addAll(List.of(command));
        sh(cmd.toArray(String[]::new));
    }

    private static void sh(String... command) {
        Commands.Result r = Commands.run(List.of(command));
        assertThat(r.exit()).as("%s: %s", String.join(" ", command), r.output()).isZero();
    }
}
