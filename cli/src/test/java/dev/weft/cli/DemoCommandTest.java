package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.model.load.ConfigLoader;
import dev.weft.model.load.LoadResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The demo's next steps name real files, and every file a user may apply is valid Istio config. */
class DemoCommandTest {

  private static final Path REPOSITORY = Path.of("..");

  @Test
  void everyNextStepAppliesAFileThatExistsAndIsValid() {
    List<String> files = DemoCommand.nextSteps("weft", Optional.empty()).stream()
        .filter(s -> s.startsWith("  weft apply -f "))
        .map(s -> s.substring("  weft apply -f ".length())).toList();
    assertThat(files).hasSize(4);
    for (String file : files) {
      LoadResult loaded = new ConfigLoader().load(REPOSITORY.resolve(file));
      assertThat(loaded.errors()).as(file).isEmpty();
      assertThat(loaded.accepted()).as(file).isNotEmpty();
    }
  }

  @Test
  void theNextStepsUseWeftAsTheUserRanItWithTheirStateDirectory() {
    List<String> steps = DemoCommand.nextSteps("./weft", Optional.of(Path.of("/tmp/mesh2")));

    assertThat(steps).filteredOn(s -> s.startsWith("  ")).hasSize(5).allSatisfy(step ->
        assertThat(step).startsWith("  ./weft ").endsWith(" --state-dir /tmp/mesh2"));
    assertThat(steps).contains("  ./weft proxy-config secrets productpage-v1 --state-dir /tmp/mesh2");
    assertThat(DemoCommand.nextSteps("weft", Optional.empty()))
        .contains("  weft apply -f examples/bookinfo/mesh/networking/virtual-service-reviews-50-v3.yaml");
  }

  @Test
  void everyNetworkingSampleLoadsWithoutFindings() throws Exception {
    try (Stream<Path> files = Files.list(REPOSITORY.resolve(DemoCommand.MESH_DIR).resolve("networking"))) {
      List<Path> samples = files.sorted().toList();
      assertThat(samples).extracting(p -> p.getFileName().toString()).contains(
          "virtual-service-all-v1.yaml", "virtual-service-reviews-test-v2.yaml",
          "virtual-service-ratings-test-delay.yaml", "virtual-service-ratings-test-abort.yaml",
          "virtual-service-reviews-50-v3.yaml", "virtual-service-reviews-v3.yaml");
      for (Path sample : samples) {
        assertThat(new ConfigLoader().load(sample).errors()).as(sample.toString()).isEmpty();
      }
    }
  }

  @Test
  void withoutTheMeshDirectoryTheDemoSaysWhereItLooked(@org.junit.jupiter.api.io.TempDir Path dir) {
    CliRun run = CliRun.of("demo", "--mesh-dir", dir.resolve("nowhere").toString(), "--state-dir", dir.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("cannot find the Bookinfo mesh directory " + dir.resolve("nowhere"));
  }
}
