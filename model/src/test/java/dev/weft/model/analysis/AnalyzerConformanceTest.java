package dev.weft.model.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.model.load.ConfigLoader;
import dev.weft.model.load.LoadResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Istio's analyzer test grid (EXPECTED-analyzers.md beside the testdata, read from ../shared): each case
 * loads its input files, runs the named analyzer, and must report exactly the expected codes on the
 * expected resources.
 */
class AnalyzerConformanceTest {
  private static final Pattern EXPECTED =
      Pattern.compile("^- (IST\\d{4}) (\\w+) `\\w+` on `(\\w+) (?:([^/`]+)/)?([^`]+)`");
  /**
   * Codes whose level deliberately differs from istioctl's in some cases (documented in the README):
   * an empty DestinationRule subset that nothing routes to is a Warning here, an Error in istioctl.
   */
  private static final Set<String> LEVEL_DIVERGENCES = Set.of("IST0173");
  /** Istio names that differ from ours: its reachability checks run inside schema validation. */
  private static final Map<String, String> ISTIO_NAMES = Map.of(
      "schemaValidation.CollectionValidationAnalyzer(collections.VirtualService)",
      "virtualservice.RuleReachabilityAnalyzer");

  record Case(String title, List<Path> inputs, String analyzer, List<String> expected) {
    @Override
    public String toString() {
      return title + " (" + analyzer + ")";
    }
  }

  static Path testdata() {
    String shared = System.getProperty("weft.shared.dir");
    assertThat(shared).as("system property weft.shared.dir").isNotBlank();
    Path dir = Path.of(shared, "istio/corpus/pkg/config/analysis/analyzers/testdata");
    assertThat(dir.resolve("EXPECTED-analyzers.md")).as("Istio analyzer corpus").isRegularFile();
    return dir;
  }

  static Stream<Case> cases() throws IOException {
    Path dir = testdata();
    List<Case> cases = new ArrayList<>();
    String title = null;
    List<Path> inputs = List.of();
    String analyzer = null;
    List<String> expected = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve("EXPECTED-analyzers.md"))) {
      if (line.startsWith("## ")) {
        if (title != null) {
          cases.add(new Case(title, inputs, analyzer, List.copyOf(expected)));
        }
        title = line.substring(3).trim();
        expected.clear();
      } else if (line.startsWith("- input: ")) {
        inputs = Stream.of(line.substring(9).split(","))
            .map(s -> dir.resolve(Path.of(s.trim()).getFileName()))
            .toList();
      } else if (line.startsWith("- analyzer: ")) {
        String token = line.substring(line.indexOf('`') + 1, line.lastIndexOf('`'))
            .replace("&", "").replace("{}", "");
        analyzer = ISTIO_NAMES.getOrDefault(token, token);
      } else {
        Matcher m = EXPECTED.matcher(line);
        if (m.find()) {
          String namespace = m.group(4) == null ? "default" : m.group(4);
          expected.add(describe(m.group(1), m.group(2), m.group(3) + " " + namespace + "/" + m.group(5)));
        }
      }
    }
    if (title != null) {
      cases.add(new Case(title, inputs, analyzer, List.copyOf(expected)));
    }
    assertThat(cases).as("cases parsed from EXPECTED-analyzers.md").hasSizeGreaterThanOrEqualTo(20);
    return cases.stream();
  }

  private static String describe(String code, String level, String resource) {
    return LEVEL_DIVERGENCES.contains(code) ? code + " " + resource : code + " " + level + " " + resource;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void reportsTheExpectedMessages(Case testCase) {
    Analyzer analyzer = Analysis.analyzers().stream()
        .filter(a -> a.name().equals(testCase.analyzer()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no analyzer named " + testCase.analyzer()));
    LoadResult load = new ConfigLoader().load(testCase.inputs());
    List<Message> messages = Analysis.analyze(load, "cluster.local", List.of(analyzer)).stream()
        .filter(m -> m.type() != MessageType.SCHEMA_VALIDATION_ERROR && m.type() != MessageType.SCHEMA_WARNING)
        .toList();
    List<String> actual = messages.stream()
        .map(m -> describe(m.type().code(), m.level().displayName(), m.resource()))
        .sorted()
        .toList();
    assertThat(actual)
        .as("messages:%n%s", String.join("\n", messages.stream().map(Message::toString).toList()))
        .isEqualTo(testCase.expected().stream().sorted().toList());
  }
}
