package dev.weft.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.proxy.Bootstraps;
import dev.weft.proxy.ProxyHarness;
import dev.weft.proxy.RawHttp1Connection;
import dev.weft.proxy.RawHttp2Connection;
import dev.weft.proxy.http.HostileInputCorpus.Forwarded;
import dev.weft.proxy.http.HostileInputCorpus.Frame;
import dev.weft.proxy.http.HostileInputCorpus.Http1Case;
import dev.weft.proxy.http.HostileInputCorpus.Http2Case;
import dev.weft.testing.upstream.StrictHttp1Upstream;
import dev.weft.testing.upstream.StrictHttp1Upstream.ForwardedRequest;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Drives the hostile-input corpus ({@code src/test/resources/hostile/*.yaml}) over raw sockets against a proxy in
 * front of an upstream that reads strictly: each case's statuses or stream outcome, whether the connection ends,
 * exactly what the upstream received, and that the proxy serves an ordinary request afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputCorpusTest {

    /** Requests sent after a case to see that the proxy still serves; not part of what the case forwarded. */
    private static final String AFTER = "/__after-case";

    private final StrictHttp1Upstream upstream = StrictHttp1Upstream.start();
    private final Map<String, ProxyHarness> proxies = new HashMap<>();
    private int requestsBefore;
    private int framingErrorsBefore;

    @AfterAll
    void stop() {
        proxies.values().forEach(ProxyHarness::close);
        upstream.close();
    }

    @BeforeEach
    void markUpstream() {
        requestsBefore = upstream.requests().size();
        framingErrorsBefore = upstream.framingErrors().size();
    }

    @AfterEach
    void upstreamReadEverythingUnambiguously() {
        List<String> errors = upstream.framingErrors();
        assertThat(errors.subList(framingErrorsBefore, errors.size())).as("what the proxy forwarded, read strictly")
                .isEmpty();
        assertThat(sinceLastCase()).allSatisfy(r -> assertThat(r.headerValues("host")).hasSize(1));
    }

    static List<Http1Case> http1() {
        return HostileInputCorpus.http1();
    }

    static List<Http2Case> http2() {
        return HostileInputCorpus.http2();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("http1")
    void http1(Http1Case c) throws IOException {
        assumeTrue(c.bug() == null, c.bug());
        int port = proxy(c.hcm()).port();
        try (RawHttp1Connection conn = new RawHttp1Connection(port)) {
            conn.send(c.send());
            List<Integer> statuses = c.statuses();
            if (statuses.isEmpty()) {
                assertThat(conn.readUntilClose()).as("no response before the close").isEmpty();
            }
            for (int i = 0; i < statuses.size(); i++) {
                RawHttp1Connection.Response r = conn.read();
                assertThat(r.status()).as("status of response %d", i + 1).isEqualTo(statuses.get(i));
                boolean last = i == statuses.size() - 1;
                assertThat(r.closesConnection()).as("connection: close on response %d", i + 1)
                        .isEqualTo(last && c.close());
            }
            if (c.close()) {
                assertThat(conn.closedByPeer()).as("the proxy closed the connection").isTrue();
            } else if (!statuses.isEmpty()) {
                assertThat(conn.send(get(AFTER + "/same")).read().status()).as("the same connection serves on")
                        .isEqualTo(200);
            }
        }
        assertServesAnOrdinaryRequest(port);
        assertForwarded(c.upstream());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("http2")
    void http2(Http2Case c) throws IOException {
        assumeTrue(c.bug() == null, c.bug());
        int port = proxy(c.hcm()).port();
        Set<String> paths = new HashSet<>();
        try (RawHttp2Connection conn = new RawHttp2Connection(port)) {
            int first = send(conn, c, paths);
            boolean connectionLives = assertOutcome(conn, first, c);
            if (connectionLives) {
                RawHttp2Connection.Frame again = conn.outcomeOf(conn.get(AFTER + "/same"));
                assertThat(again).as("the same connection serves a new stream").isNotNull();
                assertThat(again.type()).as("answer on the same connection: %s", again)
                        .isEqualTo(RawHttp2Connection.HEADERS);
                assertThat(again.headers().status()).hasToString("200");
            }
        }
        assertServesAnOrdinaryRequest(port);
        if (c.upstream() != null) {
            assertForwarded(c.upstream());
        } else {
            assertThat(sinceLastCase()).extracting(ForwardedRequest::target).allMatch(paths::contains);
        }
    }

    /**
     * Sends the case's frames and returns the first stream it opened. The server may end the connection before all
     * are written (a GOAWAY for a connection error): what it answered is read afterwards all the same.
     */
    private static int send(RawHttp2Connection conn, Http2Case c, Set<String> paths) {
        int first = 0;
        int stream = 0;
        try {
            for (int round = 0; round < c.repeat(); round++) {
                for (Frame f : c.frames()) {
                    if (f.headers() != null) {
                        stream = conn.headers(f.headers(), f.endStream() == null || f.endStream());
                        first = first == 0 ? stream : first;
                        f.headers().stream().filter(h -> h.get(0).equals(":path")).forEach(h -> paths.add(h.get(1)));
                    } else if (f.data() != null) {
                        conn.data(stream, f.data(), f.endStream() == null || f.endStream());
                    } else {
                        conn.rstStream(stream, f.rstStream());
                    }
                }
            }
        } catch (IOException closedByTheServer) {
            // Read below.
        }
        return first;
    }

    /** Checks the outcome of the case's first stream; returns whether the connection can take another stream. */
    private static boolean assertOutcome(RawHttp2Connection conn, int stream, Http2Case c) throws IOException {
        RawHttp2Connection.Frame outcome = conn.outcomeOf(stream);
        assertThat(outcome).as("a response, a stream reset or a GOAWAY before the close").isNotNull();
        switch (c.expect()) {
            case "reset" -> {
                if (c.responseMayComeFirst() && outcome.type() == RawHttp2Connection.HEADERS) {
                    outcome = conn.resetOrGoawayOf(stream);
                    assertThat(outcome).as("a reset after the response").isNotNull();
                }
                assertThat(outcome.type()).as("outcome %s", outcome).isIn(RawHttp2Connection.RST_STREAM,
                        RawHttp2Connection.GOAWAY);
                assertThat(outcome.errorCode()).as("outcome %s", outcome).isEqualTo(RawHttp2Connection.PROTOCOL_ERROR);
                if (outcome.type() == RawHttp2Connection.GOAWAY) {
                    assertThat(untilClose(conn)).as("frames after the GOAWAY").isTrue();
                    return false;
                }
                return true;
            }
            case "goaway" -> {
                RawHttp2Connection.Frame f = outcome;
                while (f != null && f.type() != RawHttp2Connection.GOAWAY) {
                    f = conn.next();
                }
                assertThat(f).as("a GOAWAY").isNotNull();
                return false;
            }
            default -> {
                assertThat(outcome.type()).as("outcome %s", outcome).isEqualTo(RawHttp2Connection.HEADERS);
                assertThat(outcome.headers().status()).hasToString(c.expect());
                return true;
            }
        }
    }

    /** The deterministic order of {@code more-data-than-content-length}: its DATA sent only once the response is in. */
    @Test
    void dataPastTheContentLengthAfterTheResponseStillResetsTheStream() throws IOException {
        try (RawHttp2Connection conn = new RawHttp2Connection(proxy("").port())) {
            int stream = conn.headers(List.of(List.of(":method", "POST"), List.of(":scheme", "http"),
                    List.of(":path", "/cl-late"), List.of(":authority", "x"), List.of("content-length", "0")), false);
            RawHttp2Connection.Frame response = conn.outcomeOf(stream);
            assertThat(response.type()).as("outcome %s", response).isEqualTo(RawHttp2Connection.HEADERS);
            assertThat(response.headers().status()).as("response %s", response).hasToString("200");
            conn.data(stream, "GET /smuggled HTTP/1.1\r\nhost: x\r\n\r\n", true);
            RawHttp2Connection.Frame reset = conn.resetOrGoawayOf(stream);
            assertThat(reset).as("a reset for the DATA").isNotNull();
            assertThat(reset.type()).isEqualTo(RawHttp2Connection.RST_STREAM);
            assertThat(reset.errorCode()).isEqualTo(RawHttp2Connection.PROTOCOL_ERROR);
        }
        assertThat(sinceLastCase()).extracting(ForwardedRequest::target).containsExactly("/cl-late");
    }

    /** Reads what is left until the server closes; true once it has. */
    private static boolean untilClose(RawHttp2Connection conn) throws IOException {
        while (conn.next() != null) {
            // Frames in flight before the GOAWAY took effect.
        }
        return true;
    }

    private ProxyHarness proxy(String hcm) {
        return proxies.computeIfAbsent(hcm, h -> ProxyHarness.start(Bootstraps.http(
                Bootstraps.indent(h, 10), Bootstraps.anyHost("""
                        - match: { prefix: / }
                          route: { cluster: up }
                        """), "", Bootstraps.staticCluster("up", "ROUND_ROBIN", "", upstream.port()))));
    }

    private void assertServesAnOrdinaryRequest(int port) throws IOException {
        try (RawHttp1Connection conn = new RawHttp1Connection(port)) {
            RawHttp1Connection.Response r = conn.send(get(AFTER)).read();
            assertThat(r.status()).as("an ordinary request after the case").isEqualTo(200);
            assertThat(r.body()).isEqualTo("ok");
        }
    }

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n";
    }

    /** The upstream's requests since this case began, without the ordinary ones sent after it. */
    private List<ForwardedRequest> sinceLastCase() {
        List<ForwardedRequest> all = upstream.requests();
        return all.subList(requestsBefore, all.size()).stream().filter(r -> !r.target().startsWith(AFTER)).toList();
    }

    private void assertForwarded(List<Forwarded> expectedOrOptional) {
        List<ForwardedRequest> actual = sinceLastCase();
        Set<String> arrived = new HashSet<>(actual.stream().map(r -> r.method() + " " + r.target()).toList());
        List<Forwarded> expected = expectedOrOptional.stream().filter(f -> !f.optional() || arrived.contains(f.line()))
                .toList();
        assertThat(actual).extracting(r -> r.method() + " " + r.target())
                .as("requests the upstream received")
                .containsExactlyElementsOf(expected.stream().map(Forwarded::line).toList());
        for (int i = 0; i < expected.size(); i++) {
            Forwarded want = expected.get(i);
            ForwardedRequest got = actual.get(i);
            if (want.body() != null) {
                assertThat(got.bodyText()).as("body upstream").isEqualTo(want.body());
            }
            want.headers().forEach((name, value) -> {
                if (value == null) {
                    assertThat(got.headerValues(name)).as("header %s upstream", name).isEmpty();
                } else {
                    assertThat(got.headerValues(name)).as("header %s upstream", name).containsExactly(value);
                }
            });
        }
    }
}
