package dev.weft.proxy.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.proxy.ProxyHarness;
import dev.weft.testing.Template;
import dev.weft.testing.upstream.ResettingServer;
import dev.weft.testing.upstream.TcpEchoServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tcp_proxy access logs in Envoy's default format: bytes both ways, duration, upstream host, flags. */
class TcpAccessLogTest {

    private static final String BOOTSTRAP = """
            static_resources:
              listeners:
              - name: echo
                address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
                filter_chains: [ { filters: [ { name: tcp, typed_config: ${echo} } ] } ]
              - name: refused
                address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
                filter_chains: [ { filters: [ { name: tcp, typed_config: ${refused} } ] } ]
              clusters:
              - name: echo
                load_assignment: { cluster_name: echo, endpoints: [ { lb_endpoints: [ { endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: ${echoPort} } } } } ] } ] }
              - name: refused
                load_assignment: { cluster_name: refused, endpoints: [ { lb_endpoints: [ { endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: ${refusedPort} } } } } ] } ] }
            """;

    private final TcpEchoServer echo = TcpEchoServer.start("hi:");
    @TempDir
    Path dir;
    private ProxyHarness proxy;

    @AfterEach
    void stop() {
        proxy.close();
        echo.close();
    }

    private String tcpProxy(String cluster) {
        return tcpProxy(cluster, "");
    }

    /** A tcp_proxy to {@code cluster} logging to tcp.log, with {@code logFormat} (more FileAccessLog fields) if any. */
    private String tcpProxy(String cluster, String logFormat) {
        return "{ \"@type\": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy, stat_prefix: "
                + cluster + ", cluster: " + cluster + ", access_log: [ { name: file, typed_config: { \"@type\": "
                + "type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog, path: \""
                + dir.resolve("tcp.log") + "\"" + logFormat + " } } ] }";
    }

    private List<String> logLines(int expected) throws Exception {
        Path log = dir.resolve("tcp.log");
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> Files.exists(log) && Files.readAllLines(log).size() >= expected);
        return Files.readAllLines(log);
    }

    @Test
    void eachClosedConnectionIsOneLineWithBytesHostAndFlags() throws Exception {
        proxy = ProxyHarness.start(Template.of(BOOTSTRAP).render(Map.of("echo", tcpProxy("echo"), "refused",
                tcpProxy("refused"), "echoPort", echo.port(), "refusedPort", ResettingServer.closedPort())));

        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.server().listenerPort("echo"))) {
            s.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            assertThat(new String(in.readNBytes(8), StandardCharsets.US_ASCII)).isEqualTo("hi:hello");
        }
        String ok = logLines(1).get(0);
        assertThat(ok).matches("\\[\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z] \"- - -\" 0 - 5 8 \\d+ - \"-\" \"-\" "
                + "\"-\" \"-\" \"127\\.0\\.0\\.1:" + echo.port() + "\"");

        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.server().listenerPort("refused"))) {
            s.setSoTimeout(10_000);
            assertThat(s.getInputStream().read()).as("closed by the proxy").isEqualTo(-1);
        }
        assertThat(logLines(2).get(1)).contains("\"- - -\" 0 UF 0 0 ");
    }

    @Test
    void aLogFormatReadsTheConnectionLevelOperators() throws Exception {
        String format = ", log_format: { text_format_source: { inline_string: \"%UPSTREAM_CLUSTER% %UPSTREAM_HOST% "
                + "%UPSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_REMOTE_ADDRESS% %BYTES_RECEIVED% "
                + "%BYTES_SENT% %RESPONSE_CODE% %RESPONSE_FLAGS% %PROTOCOL% %REQ(:METHOD)% %ROUTE_NAME%\\n\" } }";
        proxy = ProxyHarness.start(Template.of(BOOTSTRAP).render(Map.of("echo", tcpProxy("echo", format), "refused",
                tcpProxy("refused", format), "echoPort", echo.port(), "refusedPort", ResettingServer.closedPort())));

        int port = proxy.server().listenerPort("echo");
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.getOutputStream().write("abc".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(s.getInputStream().readNBytes(6), StandardCharsets.US_ASCII)).isEqualTo("hi:abc");
        }

        assertThat(logLines(1).getFirst()).matches("echo 127\\.0\\.0\\.1:" + echo.port()
                + " 127\\.0\\.0\\.1:\\d+ 127\\.0\\.0\\.1:" + port + " 127\\.0\\.0\\.1:\\d+ 3 6 0 - - - -");
    }
}
