package dev.weft.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.controlplane.config.AppliedConfigStore;
import dev.weft.controlplane.debug.ApiServer;
import dev.weft.model.load.LoadLimits;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile-input corpus of issue 11, sent over HTTP to a weftd running in its own JVM with a 128 MB heap (as
 * {@code weft up} runs it): every bomb, and every limit at its bound (accepted, then deleted with the same body) and
 * just over it (refused with its message). After each case the running config ({@code /debug/configz}) is what it was
 * and the heap after a full collection is within {@link #HEAP_SLACK} of where it started; weftd is alive at the end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileApplyTest {

    /** Heap a case may leave behind once collected (the last refusal's errors, JIT and class data of first uses). */
    private static final long HEAP_SLACK = 8L * 1024 * 1024;
    private static final String BASE = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews, namespace: default}
            spec:
              hosts: [reviews]
              http:
              - route:
                - destination: {host: reviews, subset: v1}
            """;

    private WeftdProcess weftd;
    private String token;
    private long baseline;
    private JsonNode configBefore;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private final List<String> report = new ArrayList<>();

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        Path config = Files.createDirectories(dir.resolve("config"));
        Files.writeString(config.resolve("reviews.yaml"), BASE);
        Path data = Files.createDirectories(dir.resolve("data"));
        weftd = WeftdProcess.start("128m", dir, "--config-dir", config.toString(), "--data-dir", data.toString());
        token = Files.readString(data.resolve(Weftd.TOKEN_FILE)).strip();
        // First uses load classes, compile code and fill the HTTP server's buffer pool: let an apply and a delete of
        // a large body pay for that before the baseline.
        String warmUp = pad(virtualService("warm-up", 100), ApiServer.Limits.KUBERNETES_BODY_LIMIT);
        assertThat(send("POST", warmUp).statusCode()).isEqualTo(200);
        assertThat(send("DELETE", warmUp).statusCode()).isEqualTo(200);
        configBefore = configz();
        baseline = settledHeap();
        report.add("baseline heap " + mb(baseline));
    }

    @AfterAll
    void stop() throws Exception {
        System.out.println(String.join("\n", report));
        weftd.close();
    }

    @Test
    void aScalarAliasBombOfOneMegabyteIsRefusedBeforeItIsCopied() throws Exception {
        String bomb = "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: bomb}\n"
                + "anchors: [&h " + "h".repeat(500_000) + "]\nspec:\n  hosts: [" + "*h, ".repeat(100_000) + "*h]\n"
                + "  http: [{route: [{destination: {host: *h}}]}]\n";

        refused("scalar alias bomb", bomb, 400, "document too large: aliases expand it past 1572864 characters");
    }

    @Test
    void billionLaughsIsRefusedAtTheAliasLimit() throws Exception {
        StringBuilder bomb = new StringBuilder("apiVersion: v1\nkind: Service\nmetadata: {name: laughs}\n");
        bomb.append("l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int level = 1; level <= 12; level++) {
            bomb.append("l").append(level).append(": &l").append(level).append(" [")
                    .append(String.join(", ", Collections.nCopies(9, "*l" + (level - 1)))).append("]\n");
        }

        refused("billion laughs", bomb.toString(), 400, "Number of aliases for non-scalar nodes exceeds");
    }

    @Test
    void aHundredAliasesToCollectionsAreAcceptedAndOneMoreIsNot() throws Exception {
        String aliases = "apiVersion: v1\nkind: Service\nmetadata: {name: aliases}\nx: [&a [1]%s]\n";

        acceptedAndDeleted("100 aliases", aliases.formatted(", *a".repeat(100)));
        refused("101 aliases", aliases.formatted(", *a".repeat(101)), 400,
                "Number of aliases for non-scalar nodes exceeds the specified max=100");
    }

    @Test
    void nestingIsAcceptedToDepth64AndNotBeyond() throws Exception {
        // SnakeYAML counts the collections below the document's own mapping.
        String nested = "apiVersion: v1\nkind: Service\nmetadata: {name: deep}\nx: %s\n";

        acceptedAndDeleted("depth 64", nested.formatted("[".repeat(64) + "]".repeat(64)));
        refused("depth 65", nested.formatted("[".repeat(65) + "]".repeat(65)), 400, "Nesting Depth exceeded max 64");
    }

    @Test
    void aFieldIsAtMostOneMebibyte() throws Exception {
        String secret = "apiVersion: v1\nkind: Secret\nmetadata: {name: big}\ndata: {blob: %s}\n";

        acceptedAndDeleted("1 MiB field", secret.formatted("x".repeat(LoadLimits.KUBERNETES_VALUE_LIMIT)));
        refused("1 MiB + 1 field", secret.formatted("x".repeat(LoadLimits.KUBERNETES_VALUE_LIMIT + 1)), 400,
                "data[blob]: Too long: may not be more than 1048576 characters (has 1048577)");
    }

    @Test
    void aDocumentIsAtMostKubernetesObjectLimit() throws Exception {
        String head = "apiVersion: v1\nkind: Secret\nmetadata: {name: big}\ndata:\n  a: %s\n  b: ";
        int half = LoadLimits.KUBERNETES_OBJECT_LIMIT / 2;
        String first = head.formatted("x".repeat(half));
        String atLimit = first + "y".repeat(LoadLimits.KUBERNETES_OBJECT_LIMIT - first.length() - 1) + "\n";

        assertThat(atLimit).hasSize(LoadLimits.KUBERNETES_OBJECT_LIMIT);
        acceptedAndDeleted("1.5 MiB document", atLimit);
        refused("1.5 MiB + 1 document", atLimit.replace("b: ", "b: y"), 400,
                "document too large: more than 1572864 characters");
    }

    @Test
    void annotationsAreAtMost256KiBAndA15MegabyteOneIsRefusedUnread() throws Exception {
        String annotated = "apiVersion: v1\nkind: Namespace\nmetadata: {name: noted, annotations: {a: %s}}\n";

        acceptedAndDeleted("256 KiB annotations", annotated.formatted("x".repeat(256 * 1024 - 1)));
        refused("256 KiB + 1 annotations", annotated.formatted("x".repeat(256 * 1024)), 400,
                "metadata.annotations: Too long: must have at most 262144 bytes (has 262145)");
        refused("15 MB annotation", annotated.formatted("x".repeat(15_000_000)), 413,
                "request body too large: the limit is 3145728 bytes");
    }

    @Test
    void aBodyIsAtMostThreeMebibytes() throws Exception {
        String secret = "apiVersion: v1\nkind: Secret\nmetadata: {name: s%d}\ndata: {blob: %s}\n---\n";
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            body.append(secret.formatted(i, "x".repeat(1_000_000)));
        }
        String atLimit = pad(body.toString(), ApiServer.Limits.KUBERNETES_BODY_LIMIT);

        acceptedAndDeleted("3 MiB body", atLimit);
        refused("3 MiB + 1 body", atLimit + "#", 413, "request body too large: the limit is 3145728 bytes");
    }

    @Test
    void tenThousandResourcesFitInOneApplyAndOneMoreDoesNot() throws Exception {
        String namespace = "apiVersion: v1\nkind: Namespace\nmetadata: {name: n%d}\n";
        List<String> documents = new ArrayList<>();
        for (int i = 0; i < 10_001; i++) {
            documents.add(namespace.formatted(i));
        }

        acceptedAndDeleted("10,000 resources", String.join("---\n", documents.subList(0, 10_000)));
        refused("10,001 resources", String.join("---\n", documents), 400,
                "too many documents: the limit is 10000 in one file or apply");
    }

    @Test
    void namesAreAtMost253CharactersAndAnOverlongOneIsNotEchoed() throws Exception {
        String name253 = ("a".repeat(62) + ".").repeat(4) + "a";
        String rule = "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: %s}\nspec: {host: a}\n";

        acceptedAndDeleted("253-character name", rule.formatted(name253));
        refused("254-character name", rule.formatted(name253 + "a"), 400, "must be no more than 253 characters");
        HttpResponse<String> megabyte = refused("1 MB name", rule.formatted("n".repeat(1_000_000)), 400,
                "… (1000000 characters)\\\": must be no more than 253 characters");
        assertThat(megabyte.body()).hasSizeLessThan(1_000);
    }

    @Test
    void aVirtualServiceOfTenThousandRoutesCostsLessThanSixteenTimesItsTextAndIsDeletedCheaply() throws Exception {
        String vs = virtualService("routes", 10_000);

        long text = vs.length();
        long before = settledHeap();
        HttpResponse<String> applied = send("POST", vs);
        assertThat(applied.statusCode()).as(applied.body()).isEqualTo(200);
        long cost = settledHeap() - before;
        long started = System.nanoTime();
        HttpResponse<String> deleted = send("DELETE", vs);
        long deleteMillis = (System.nanoTime() - started) / 1_000_000;
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
        report.add("10,000 routes: " + mb(text) + " of YAML cost " + mb(cost) + " of heap; deleted in "
                + deleteMillis + " ms");

        // Alone it costs about 9 times its text (8 MB); after the other cases in the same weftd up to 13 times was
        // seen. The issue's weftd held 36 MB (39 times).
        assertThat(cost).as("heap held by the applied VirtualService").isLessThan(16 * text);
        assertUnchanged("10,000 routes, deleted");
        refused("10,001 routes", virtualService("routes", 10_001), 400,
                "spec.http: Too many: 10001: must have at most 10000 items");
    }

    @Test
    void appliedConfigInForceIsAtMostSixMebibytes() throws Exception {
        List<String> bodies = new ArrayList<>();
        for (int body = 0; body < 2; body++) {
            StringBuilder three = new StringBuilder();
            for (int i = 0; i < 3; i++) {
                three.append(virtualService("routes-" + body + "-" + i, 10_000)).append("---\n");
            }
            bodies.add(pad(three.toString(), ApiServer.Limits.KUBERNETES_BODY_LIMIT));
        }
        assertThat(bodies.stream().mapToLong(String::length).sum()).isEqualTo(AppliedConfigStore.MAX_APPLIED_CHARS);

        long before = settledHeap();
        for (String body : bodies) {
            HttpResponse<String> applied = send("POST", body);
            assertThat(applied.statusCode()).as(applied.body()).isEqualTo(200);
        }
        long full = settledHeap() - before;
        report.add("6 MiB applied (60,000 routes): " + mb(full) + " of heap");
        HttpResponse<String> more = send("POST", BASE.replace("reviews, namespace", "more, namespace"));
        for (String body : bodies) {
            assertThat(send("DELETE", body).statusCode()).isEqualTo(200);
        }

        assertThat(more.statusCode()).isEqualTo(400);
        assertThat(more.body()).contains("not changed: the applied config would hold")
                .contains("the limit is 6291456; delete applied resources first");
        assertUnchanged("6 MiB applied, then deleted");
        assertThat(weftd.isAlive()).isTrue();
    }

    private HttpResponse<String> refused(String name, String body, int status, String message) throws Exception {
        HttpResponse<String> answer = send("POST", body);
        assertThat(answer.statusCode()).as(name + ": " + answer.body()).isEqualTo(status);
        assertThat(answer.body()).as(name).contains(message);
        assertUnchanged(name);
        return answer;
    }

    private void acceptedAndDeleted(String name, String body) throws Exception {
        HttpResponse<String> applied = send("POST", body);
        assertThat(applied.statusCode()).as(name + ": " + applied.body()).isEqualTo(200);
        HttpResponse<String> deleted = send("DELETE", body);
        assertThat(deleted.statusCode()).as(name + " deleted: " + deleted.body()).isEqualTo(200);
        assertUnchanged(name);
    }

    private void assertUnchanged(String name) throws Exception {
        assertThat(weftd.isAlive()).as(name + ": weftd alive; its log:\n" + weftd.log()).isTrue();
        assertThat(configz()).as(name + ": running config").isEqualTo(configBefore);
        long heap = settledHeap();
        report.add(name + ": heap after " + mb(heap));
        assertThat(heap - baseline).as(name + ": heap left behind").isLessThan(HEAP_SLACK);
    }

    /** The heap once the pushes a change asked for are done (a push holds two configs while it runs). */
    private long settledHeap() throws Exception {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !get("/debug/push_status").get("pushPending")
                .asBoolean());
        return weftd.heapUsedAfterGc();
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + weftd.httpPort() + path)).build(), HttpResponse.BodyHandlers.ofString());
        return json.readTree(answer.body());
    }

    private JsonNode configz() throws Exception {
        return get("/debug/configz").get("resources");
    }

    private HttpResponse<String> send(String method, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + weftd.httpPort() + "/apply"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/yaml")
                .header("Authorization", "Bearer " + token)
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A VirtualService with {@code routes} HTTP routes, each matching its own prefix. */
    private static String virtualService(String name, int routes) {
        StringBuilder yaml = new StringBuilder("apiVersion: networking.istio.io/v1\nkind: VirtualService\n"
                + "metadata: {name: " + name + "}\nspec:\n  hosts: [" + name + "]\n  http:\n");
        for (int i = 0; i < routes; i++) {
            yaml.append("  - match: [{uri: {prefix: /p").append(i).append("}}]\n")
                    .append("    route: [{destination: {host: reviews, subset: v1}}]\n");
        }
        return yaml.toString();
    }

    /** The YAML followed by a comment that makes it exactly {@code length} characters. */
    private static String pad(String yaml, int length) {
        String comment = "# " + "-".repeat(length - yaml.length() - 3) + "\n";
        return yaml + comment;
    }

    private static String mb(long bytes) {
        return String.format("%.1f MB", bytes / 1e6);
    }
}
