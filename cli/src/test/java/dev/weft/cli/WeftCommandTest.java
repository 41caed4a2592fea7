package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WeftCommandTest {

  @Test
  void versionPrintsTheBuildVersion() {
    CliRun run = CliRun.of("version");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("weft 0.").doesNotContain("${");
  }

  @Test
  void helpListsSubcommands() {
    CliRun run = CliRun.of("--help");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("Usage: weft").contains("version");
  }

  @Test
  void unknownOptionIsAUsageError() {
    CliRun run = CliRun.of("--no-such-flag");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Unknown option");
  }

  /** Every command's and option's description is whole sentences: a capital or a name first, a full stop last. */
  @Test
  void helpDescriptionsAreWholeSentences() {
    java.util.List<String> notSentences = new java.util.ArrayList<>();
    java.util.List<picocli.CommandLine> commands = new java.util.ArrayList<>(
        new picocli.CommandLine(new WeftCommand()).getSubcommands().values());
    commands.add(new picocli.CommandLine(new WeftCommand()));
    commands.removeIf(c -> c.getCommand() instanceof picocli.CommandLine.HelpCommand);
    for (picocli.CommandLine command : commands) {
      var spec = command.getCommandSpec();
      check(spec.qualifiedName(), String.join(" ", spec.usageMessage().description()), notSentences);
      for (var option : spec.options()) {
        check(spec.qualifiedName() + " " + option.longestName(), String.join(" ", option.description()),
            notSentences);
      }
      for (var parameter : spec.positionalParameters()) {
        check(spec.qualifiedName() + " " + parameter.paramLabel(), String.join(" ", parameter.description()),
            notSentences);
      }
    }
    assertThat(notSentences).isEmpty();
  }

  private static void check(String where, String description, java.util.List<String> notSentences) {
    String text = description.strip();
    boolean starts = !text.isEmpty() && (Character.isUpperCase(text.charAt(0)) || !Character.isLetter(text.charAt(0))
        || text.matches("^(weftd|weft|istioctl|none|http|tcp)\\b.*") || text.matches("^[a-z]+[A-Z_].*"));
    if (!starts || !(text.endsWith(".") || text.endsWith(".)"))) {
      notSentences.add(where + ": " + text);
    }
  }
}
