package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.cli.local.RuntimeState;
import dev.weft.cli.local.StateStore;
import dev.weft.controlplane.Weftd;
import dev.weft.controlplane.WeftdOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code weft apply} and {@code weft delete} against a real weftd on a free loopback port. */
class ApplyCommandTest {

  private static final String REVIEWS = """
      apiVersion: networking.istio.io/v1
      kind: VirtualService
      metadata:
        name: reviews
      spec:
        hosts: [reviews]
        http:
        - route:
          - destination: {host: reviews, subset: v1}
      """;

  @TempDir Path dir;
  private Weftd weftd;
  private String url;

  @BeforeEach
  void start() throws Exception {
    weftd = Weftd.start(WeftdOptions.defaults().withPorts(0, 0));
    url = "http://127.0.0.1:" + weftd.httpPort();
  }

  @AfterEach
  void stop() throws Exception {
    weftd.close();
  }

  private String configz() throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/debug/configz")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  @Test
  void applySendsTheMeshsTokenFromTheStateDirectoryAndWeftdRefusesAChangeWithoutIt() throws Exception {
    StateStore store = new StateStore(dir.resolve("state"));
    try (Weftd guarded = Weftd.start(WeftdOptions.defaults().withDataDir(store.weftdData()).withPorts(0, 0))) {
      store.write(new RuntimeState(1, 0, RuntimeState.RUNNING, "/mesh", "http://127.0.0.1:" + guarded.httpPort(), 0,
          "", List.of()));
      Path file = Files.writeString(dir.resolve("reviews.yaml"), REVIEWS);

      CliRun applied = CliRun.of("apply", "-f", file.toString(), "--state-dir", store.directory().toString());
      Files.delete(store.weftdData().resolve(Weftd.TOKEN_FILE));
      CliRun refused = CliRun.of("delete", "-f", file.toString(), "--state-dir", store.directory().toString());

      assertThat(applied.exitCode()).as(applied.err()).isZero();
      assertThat(refused.exitCode()).isEqualTo(1);
      assertThat(refused.err()).contains("changing the mesh needs its token");
    }
  }

  @Test
  void aBinaryFileIsNamedAsNotUtf8Text() throws Exception {
    Path file = Files.write(dir.resolve("image.yaml"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, (byte) 0xFF});

    CliRun run = CliRun.of("apply", "-f", file.toString(), "--weftd", url);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("weft: cannot read " + file
        + ": not UTF-8 text: weft reads YAML and JSON files as UTF-8 (a binary file?)\n");
  }

  @Test
  void anErrorAboutAMegabyteNameQuotesItsFirst64Characters() throws Exception {
    Path file = Files.writeString(dir.resolve("long.yaml"), REVIEWS.replace("name: reviews", "name: "
        + "r".repeat(1_000_000)));

    CliRun run = CliRun.of("apply", "-f", file.toString(), "--weftd", url);

    assertThat(run.exitCode()).isEqualTo(1);
    String shown = "r".repeat(64) + "… (1000000 characters)";
    assertThat(run.err()).isEqualTo("weft: " + file + ":4: VirtualService default/" + shown + ": metadata.name: Invalid"
        + " value: \"" + shown + "\": must be no more than 253 characters\n");
  }

  @Test
  void applyReportsCreatedConfiguredAndUnchangedThenDeleteRemoves() throws Exception {
    Path file = Files.writeString(dir.resolve("reviews.yaml"), REVIEWS);
    CliRun created = CliRun.of("apply", "-f", file.toString(), "--weftd", url);
    assertThat(created.exitCode()).isZero();
    assertThat(created.out()).isEqualTo("VirtualService default/reviews created\n");
    assertThat(configz()).contains("\"name\" : \"reviews\"").contains("\"source\" : \"" + file + ":1\"");

    CliRun unchanged = CliRun.of("apply", "-f", file.toString(), "--weftd", url);
    assertThat(unchanged.exitCode()).isZero();
    assertThat(unchanged.out()).isEqualTo("VirtualService default/reviews unchanged\n");

    Files.writeString(file, REVIEWS.replace("subset: v1", "subset: v2"));
    CliRun configured = CliRun.of("apply", "-f", file.toString(), "--weftd", url);
    assertThat(configured.exitCode()).isZero();
    assertThat(configured.out()).isEqualTo("VirtualService default/reviews configured\n");

    CliRun deleted = CliRun.of("delete", "-f", file.toString(), "--weftd", url);
    assertThat(deleted.exitCode()).isZero();
    assertThat(deleted.out()).isEqualTo("VirtualService default/reviews deleted\n");
    assertThat(configz()).doesNotContain("\"name\" : \"reviews\"");
  }

  @Test
  void deletingWhatIsNotThereIsAnErrorUnlessIgnoreNotFound() throws Exception {
    Path absent = Files.writeString(dir.resolve("reviews.yaml"), REVIEWS);
    Path present = Files.writeString(dir.resolve("ratings.yaml"), REVIEWS.replace("name: reviews", "name: ratings"));
    assertThat(CliRun.of("apply", "-f", present.toString(), "--weftd", url).exitCode()).isZero();

    CliRun refused = CliRun.of("delete", "-f", absent.toString(), "-f", present.toString(), "--weftd", url);
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.err()).isEqualTo("weft: " + absent + ": VirtualService default/reviews not found"
        + " (--ignore-not-found allows it)\n");
    assertThat(refused.out()).as("what was there is deleted all the same, as kubectl does")
        .isEqualTo("VirtualService default/ratings deleted\n");

    CliRun ignored = CliRun.of("delete", "-f", absent.toString(), "--ignore-not-found", "--weftd", url);
    assertThat(ignored.exitCode()).isZero();
    assertThat(ignored.out() + ignored.err()).isEmpty();
  }

  @Test
  void errorsNameTheFileAndLineAmongSeveral() throws Exception {
    Path good = Files.writeString(dir.resolve("a-good.yaml"), REVIEWS.replace("name: reviews", "name: ratings"));
    Path bad = Files.writeString(dir.resolve("b-bad.yaml"), "# a comment first\n"
        + REVIEWS.replace("- destination: {host: reviews, subset: v1}",
            "- destination: {host: reviews, subset: v1}\n      weight: -1"));

    CliRun run = CliRun.of("apply", "-f", dir.toString(), "--weftd", url);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("weft: " + bad + ":11: VirtualService default/reviews: spec.http[0].route[0]"
        + ".weight: weight must be >= 0, got -1\n");
    assertThat(run.out()).isEmpty();
    assertThat(configz()).as("all or nothing: " + good + " is not applied either").doesNotContain("ratings");
  }

  @Test
  void theWeftdOfTheLocalMeshIsFoundInTheStateDirectory() throws Exception {
    Files.createDirectories(dir.resolve("config"));
    Path file = Files.writeString(dir.resolve("config/reviews.yaml"), REVIEWS);
    Path state = dir.resolve("state");
    new StateStore(state).write(new RuntimeState(1, 0, RuntimeState.RUNNING, "/mesh", url, 0, "", List.of()));
    CliRun applied = CliRun.of("apply", "-f", dir.resolve("config").toString(), "--state-dir", state.toString());
    assertThat(applied.exitCode()).isZero();
    assertThat(applied.out()).contains("VirtualService default/reviews created");
    assertThat(file).exists();
  }

  @Test
  void invalidConfigIsRejectedWithWeftdsMessage() throws Exception {
    Path file = Files.writeString(dir.resolve("bad.yaml"), REVIEWS.replace("subset: v1}", "subset: v1, weight: -1}"));
    CliRun run = CliRun.of("apply", "-f", file.toString(), "--weftd", url);
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).startsWith("weft: ").contains("weight");
    assertThat(configz()).doesNotContain("\"name\" : \"reviews\"");
  }

  @Test
  void withoutARunningMeshApplySaysHowToStartOne() throws Exception {
    Path file = Files.writeString(dir.resolve("reviews.yaml"), REVIEWS);
    CliRun run = CliRun.of("apply", "-f", file.toString(), "--state-dir", dir.resolve("none").toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("no local mesh is running").contains("weft up");
  }

  @Test
  void aMissingFileOrAnUnreachableWeftdIsAClearError() throws Exception {
    CliRun missing = CliRun.of("apply", "-f", dir.resolve("nope.yaml").toString(), "--weftd", url);
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err()).isEqualTo("weft: " + dir.resolve("nope.yaml") + " does not exist\n");

    Path file = Files.writeString(dir.resolve("reviews.yaml"), REVIEWS);
    weftd.close();
    CliRun unreachable = CliRun.of("apply", "-f", file.toString(), "--weftd", url);
    assertThat(unreachable.exitCode()).isEqualTo(1);
    assertThat(unreachable.err()).contains("weftd at " + url + " did not answer");
    weftd = Weftd.start(WeftdOptions.defaults().withPorts(0, 0));
  }
}
