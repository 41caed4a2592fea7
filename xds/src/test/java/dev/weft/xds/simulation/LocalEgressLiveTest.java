package dev.weft.xds.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.weft.proxy.server.ProxyServer;
import dev.weft.testing.upstream.TcpEchoServer;
import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.push.PushContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A local-runtime egress port, live: the listener and clusters weftd generates run in weft-proxy, and connections
 * to the egress port reach the TCP service's subsets in the VirtualService's 80/20 split.
 */
class LocalEgressLiveTest {

    private static final String HOST = "tcp-echo.default.svc.cluster.local";
    private static final int CONNECTIONS = 200;

    private static String config(int v1Port, int v2Port) {
        return """
                apiVersion: v1
                kind: Service
                metadata: {name: tcp-echo, namespace: default}
                spec:
                  selector: {app: tcp-echo}
                  ports: [{name: tcp, port: 9000}]
                ---
                apiVersion: networking.istio.io/v1
                kind: WorkloadEntry
                metadata: {name: tcp-echo-v1, namespace: default}
                spec: {address: 127.0.0.1, ports: {tcp: %d}, labels: {app: tcp-echo, version: v1}}
                ---
                apiVersion: networking.istio.io/v1
                kind: WorkloadEntry
                metadata: {name: tcp-echo-v2, namespace: default}
                spec: {address: 127.0.0.1, ports: {tcp: %d}, labels: {app: tcp-echo, version: v2}}
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: tcp-echo, namespace: default}
                spec:
                  host: tcp-echo
                  subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: tcp-echo, namespace: default}
                spec:
                  hosts: [tcp-echo]
                  tcp:
                  - route:
                    - {destination: {host: tcp-echo, subset: v1}, weight: 80}
                    - {destination: {host: tcp-echo, subset: v2}, weight: 20}
                """.formatted(v1Port, v2Port);
    }

    private static ProxyNode sidecar(String... egressHosts) {
        ListValue.Builder egress = ListValue.newBuilder();
        for (String host : egressHosts) {
            egress.addValues(Value.newBuilder().setStructValue(Struct.newBuilder()
                    .putFields("host", Value.newBuilder().setStringValue(host).build())
                    .putFields("port", Value.newBuilder().setNumberValue(9000).build())
                    .putFields("listen", Value.newBuilder().setNumberValue(0).build())));
        }
        return LiveProxy.localSidecar(egress.build());
    }

    /** Connects, sends a line and returns what came back: the upstream's greeting and the echo. */
    private static String exchange(int port) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("ping".getBytes(StandardCharsets.UTF_8));
            InputStream in = socket.getInputStream();
            byte[] answer = in.readNBytes("v1:ping".length());
            return new String(answer, StandardCharsets.UTF_8);
        }
    }

    /** True when the connection is closed (or reset) without a byte of answer. */
    private static boolean answersNothing(int port) {
        try {
            return exchange(port).isEmpty();
        } catch (java.net.SocketException reset) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void egressPortSplitsConnectionsByTheVirtualServiceTcpWeights() throws IOException {
        try (TcpEchoServer v1 = TcpEchoServer.start("v1:"); TcpEchoServer v2 = TcpEchoServer.start("v2:")) {
            PushContext push = LiveProxy.push(config(v1.port(), v2.port()));
            ProxyNode proxy = sidecar(HOST, "unknown.default.svc.cluster.local");
            ProxyServer server = LiveProxy.start(push, proxy, name -> name.startsWith("local-egress_"));
            try {
                int port = server.listenerPort("local-egress_9000_" + HOST);
                Map<String, Integer> counts = new HashMap<>();
                for (int i = 0; i < CONNECTIONS; i++) {
                    counts.merge(exchange(port), 1, Integer::sum);
                }

                assertThat(counts).containsOnlyKeys("v1:ping", "v2:ping");
                assertThat(counts.get("v1:ping")).as("about 80%% of %d", CONNECTIONS).isBetween(130, 185);
                assertThat(answersNothing(server.listenerPort("local-egress_9000_unknown.default.svc.cluster.local")))
                        .as("an unknown host's egress port closes the connection").isTrue();
            } finally {
                server.close();
            }
        }
    }
}
