package dev.weft.controlplane.debug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.weft.controlplane.Weftd;
import dev.weft.controlplane.WeftdOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * weftd's API against hostile clients, over real sockets: half-sent requests hold nothing up, and a change needs the
 * mesh's token and cannot come from a web page.
 */
class ApiSecurityTest {

    private static final String VS = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews, namespace: default}
            spec:
              hosts: [reviews]
              http:
              - route:
                - destination: {host: reviews}
            """;

    @TempDir
    Path dataDir;
    private Weftd weftd;
    private String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeEach
    void start() throws Exception {
        weftd = Weftd.start(WeftdOptions.defaults().withDataDir(dataDir).withPorts(0, 0));
        token = Files.readString(dataDir.resolve(Weftd.TOKEN_FILE)).strip();
    }

    @AfterEach
    void stop() throws Exception {
        weftd.close();
    }

    private HttpResponse<String> apply(String contentType, Optional<String> authorization, Optional<String> origin)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + weftd.httpPort() + "/apply"))
                .timeout(Duration.ofSeconds(5)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(VS));
        authorization.ifPresent(a -> request.header("Authorization", a));
        origin.ifPresent(o -> request.header("Origin", o));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> ready() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + weftd.httpPort() + "/ready"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 200})
    void halfSentRequestsHoldNothingUp(int stalled) throws Exception {
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < stalled; i++) {
                Socket socket = new Socket("127.0.0.1", weftd.httpPort());
                OutputStream out = socket.getOutputStream();
                out.write((i % 2 == 0 ? "POST /apply HTTP/1.1\r\nHost: weftd\r\nContent-Length: 100000\r\n\r\n"
                        + "apiVersion: networking" : "GET /ready HTTP/1.1\r\nHost: we").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                held.add(socket);
            }

            long started = System.nanoTime();
            assertThat(ready().statusCode()).isEqualTo(200);
            assertThat(apply("application/yaml", Optional.of("Bearer " + token), Optional.empty()).statusCode())
                    .isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
            assertThat(held).as("still held open").allSatisfy(s -> assertThat(s.isClosed()).isFalse());
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    @Test
    void aChangeNeedsTheMeshsTokenFromAFileOnlyItsOwnerReads() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve(Weftd.TOKEN_FILE))))
                .isEqualTo("rw-------");
        assertThat(token).hasSize(64);

        HttpResponse<String> none = apply("application/yaml", Optional.empty(), Optional.empty());
        HttpResponse<String> wrong = apply("application/yaml", Optional.of("Bearer " + "0".repeat(64)), Optional.empty());
        HttpResponse<String> right = apply("application/yaml", Optional.of("Bearer " + token), Optional.empty());

        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.body()).contains("changing the mesh needs its token");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(right.statusCode()).as(right.body()).isEqualTo(200);
        weftd.close();
        weftd = Weftd.start(WeftdOptions.defaults().withDataDir(dataDir).withPorts(0, 0));
        assertThat(apply("application/yaml", Optional.of("Bearer " + token), Optional.empty()).statusCode())
                .as("a restarted weftd keeps the token").isEqualTo(200);
    }

    @Test
    void aWebPageCannotChangeTheMeshEvenWithTheToken() throws Exception {
        HttpResponse<String> crossOrigin = apply("application/yaml", Optional.of("Bearer " + token),
                Optional.of("http://evil.example"));
        HttpResponse<String> simple = apply("text/plain", Optional.of("Bearer " + token), Optional.empty());
        HttpResponse<String> form = apply("application/x-www-form-urlencoded", Optional.of("Bearer " + token),
                Optional.empty());

        assertThat(crossOrigin.statusCode()).isEqualTo(403);
        assertThat(crossOrigin.body()).contains("Origin: http://evil.example");
        assertThat(simple.statusCode()).isEqualTo(415);
        assertThat(form.statusCode()).isEqualTo(415);
        assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + weftd.httpPort() + "/debug/configz"))
                .build(), HttpResponse.BodyHandlers.ofString()).body()).as("nothing changed").doesNotContain("reviews");
    }

    @Test
    void weftdListensOnLoopbackOnly() throws Exception {
        Optional<InetAddress> external = NetworkInterface.networkInterfaces().filter(this::up)
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress()).findFirst();
        assumeThat(external).as("this host has an address besides loopback").isPresent();

        for (int port : List.of(weftd.httpPort(), weftd.xdsPort())) {
            try (Socket socket = new Socket()) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> socket.connect(
                        new InetSocketAddress(external.get(), port), 2000)).isInstanceOf(IOException.class);
            }
        }
    }

    private boolean up(NetworkInterface nic) {
        try {
            return nic.isUp();
        } catch (IOException e) {
            return false;
        }
    }
}
