package dev.weft.examples.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.weft.examples.fixture.Http;
import dev.weft.examples.fixture.RecordingPeer;
import dev.weft.examples.fixture.RecordingProxy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PeerClientTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final PeerClient direct = PeerClient.create(Optional.empty());

    @AfterEach
    void stop() {
        direct.close();
    }

    @Test
    void returnsTheAnswerOfAnyStatus() {
        try (RecordingPeer peer = RecordingPeer.answering(
                new RecordingPeer.Reply(200, "{}"), new RecordingPeer.Reply(503, "down"))) {
            PeerReply first = direct.get(peer.baseUri().resolve("/x"), PropagatedHeaders.none(), TIMEOUT);
            PeerReply second = direct.get(peer.baseUri().resolve("/x"), PropagatedHeaders.none(), TIMEOUT);

            assertThat(first).isEqualTo(new PeerReply.Answer(200, "{}"));
            assertThat(first.ok()).isTrue();
            assertThat(second).isEqualTo(new PeerReply.Answer(503, "down"));
            assertThat(second.ok()).isFalse();
        }
    }

    @Test
    void aSlowPeerIsNoAnswerAfterTheTimeout() {
        try (RecordingPeer peer = RecordingPeer.answering(new RecordingPeer.Hang())) {
            PeerReply reply = direct.get(peer.baseUri().resolve("/slow"), PropagatedHeaders.none(),
                    Duration.ofMillis(100));

            assertThat(reply).isInstanceOfSatisfying(PeerReply.NoAnswer.class,
                    noAnswer -> assertThat(noAnswer.reason()).endsWith("/slow within 100ms"));
        }
    }

    @Test
    void aBodyThatStallsAfterTheHeadersIsNoAnswerAfterTheTimeout() throws Exception {
        try (ServerSocket stalling = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread server = Thread.ofVirtual().start(() -> answerHeadersThenStall(stalling));
            URI uri = URI.create("http://127.0.0.1:" + stalling.getLocalPort() + "/stall");

            PeerReply reply = assertTimeoutPreemptively(Duration.ofSeconds(5),
                    () -> direct.get(uri, PropagatedHeaders.none(), Duration.ofMillis(200)));

            assertThat(reply).isEqualTo(new PeerReply.NoAnswer("no answer from " + uri + " within 200ms"));
            server.interrupt();
        }
    }

    @Test
    void aRefusedConnectionIsNoAnswer() {
        URI nowhere = URI.create("http://127.0.0.1:" + Http.closedPort() + "/x");

        assertThat(direct.get(nowhere, PropagatedHeaders.none(), TIMEOUT)).isInstanceOf(PeerReply.NoAnswer.class);
    }

    /** Promises 100 bytes of body, sends 3, and keeps the connection open until the socket is closed. */
    private static void answerHeadersThenStall(ServerSocket listener) {
        try (Socket socket = listener.accept()) {
            socket.getInputStream().read(new byte[4096]);
            socket.getOutputStream().write(
                    "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            socket.getInputStream().read();
        } catch (IOException e) {
            // The test is over and closed the listener.
        }
    }

    @Test
    void sendsTheContextHeaders() {
        try (RecordingPeer peer = RecordingPeer.replying(200, "{}")) {
            PropagatedHeaders headers = new PropagatedHeaders(Map.of("x-request-id", List.of("r1")))
                    .with("End-User", "jason");

            direct.get(peer.baseUri().resolve("/x"), headers, TIMEOUT);

            RecordingPeer.Received received = peer.received().getFirst();
            assertThat(received.header("x-request-id")).isEqualTo("r1");
            assertThat(received.header("end-user")).isEqualTo("jason");
        }
    }

    @Test
    void anUnsendableHeaderValueIsNoAnswerNotAnException() {
        PropagatedHeaders bad = PropagatedHeaders.none().with("end-user", "a\r\nb");

        assertThat(direct.get(URI.create("http://127.0.0.1:1/x"), bad, TIMEOUT))
                .isInstanceOfSatisfying(PeerReply.NoAnswer.class,
                        noAnswer -> assertThat(noAnswer.reason()).contains("not sent"));
    }

    @Test
    void warmUpCallsTheAppsOwnHealthDirectlyEvenWithAProxy() {
        try (RecordingPeer self = RecordingPeer.replying(200, "{}");
                RecordingProxy proxy = new RecordingProxy(Map.of());
                PeerClient proxied = PeerClient.create(Optional.of(
                        new InetSocketAddress("127.0.0.1", URI.create(proxy.address()).getPort())))) {

            proxied.warmUp(self.baseUri().resolve("/health"));

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(self.received())
                    .singleElement().extracting(RecordingPeer.Received::uri).isEqualTo(URI.create("/health")));
            assertThat(proxy.seen()).isEmpty();
        }
    }

    @Test
    void withAProxyCallsGoToItInAbsoluteForm() {
        try (RecordingPeer peer = RecordingPeer.replying(200, "{\"via\":\"proxy\"}");
                RecordingProxy proxy = new RecordingProxy(Map.of("ratings:9080", peer.baseUri()));
                PeerClient proxied = PeerClient.create(Optional.of(
                        new InetSocketAddress("127.0.0.1", URI.create(proxy.address()).getPort())))) {

            PeerReply reply = proxied.get(URI.create("http://ratings:9080/ratings/0"), PropagatedHeaders.none(),
                    TIMEOUT);

            assertThat(reply).isEqualTo(new PeerReply.Answer(200, "{\"via\":\"proxy\"}"));
            assertThat(proxy.seen()).containsExactly(new RecordingProxy.Seen(
                    "GET", URI.create("http://ratings:9080/ratings/0"), "ratings:9080"));
            assertThat(peer.received().getFirst().uri()).isEqualTo(URI.create("/ratings/0"));
        }
    }
}
