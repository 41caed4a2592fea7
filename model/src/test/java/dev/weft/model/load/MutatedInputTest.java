package dev.weft.model.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.model.ConfigError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Damaged versions of real configuration (truncated, characters swapped, lines shuffled) always come
 * back as error values: the loader's internal-error safety net must never be needed.
 */
class MutatedInputTest {
  private static final long SEED = 20_260_823L;
  private static final int MUTATIONS_PER_FILE = 40;
  private static final String DAMAGE = ":-[]{}&*!|>'\"%@`#,?\t\n 0x~.";

  @Test
  void damagedSamplesNeverNeedTheSafetyNet() throws IOException {
    ConfigLoader loader = new ConfigLoader();
    Random random = new Random(SEED);
    int loaded = 0;
    for (Path file : samples()) {
      String text = Files.readString(file);
      for (int i = 0; i < MUTATIONS_PER_FILE; i++) {
        String damaged = mutate(text, random);
        LoadResult result = loader.loadString(damaged, file.getFileName() + "#" + i);
        assertThat(result.errors())
            .as("mutation %d of %s", i, file)
            .extracting(ConfigError::message)
            .noneMatch(message -> message.startsWith("internal error"));
        loaded++;
      }
    }
    assertThat(loaded).isGreaterThan(500);
  }

  private static String mutate(String text, Random random) {
    return switch (random.nextInt(4)) {
      case 0 -> text.substring(0, random.nextInt(text.length()));
      case 1 -> {
        StringBuilder damaged = new StringBuilder(text);
        for (int n = 0; n < 1 + random.nextInt(8); n++) {
          damaged.setCharAt(random.nextInt(damaged.length()), DAMAGE.charAt(random.nextInt(DAMAGE.length())));
        }
        yield damaged.toString();
      }
      case 2 -> {
        List<String> lines = new ArrayList<>(text.lines().toList());
        int a = random.nextInt(lines.size());
        int b = random.nextInt(lines.size());
        String line = lines.get(a);
        lines.set(a, lines.get(b));
        lines.set(b, line);
        yield String.join("\n", lines);
      }
      default -> {
        List<String> lines = new ArrayList<>(text.lines().toList());
        int at = random.nextInt(lines.size());
        lines.add(at, lines.get(random.nextInt(lines.size())).replaceFirst("^\\s*", " ".repeat(random.nextInt(8))));
        yield String.join("\n", lines);
      }
    };
  }

  private static List<Path> samples() throws IOException {
    Path corpus = Path.of(System.getProperty("weft.shared.dir"), "istio", "corpus", "samples");
    assertThat(corpus).isDirectory();
    try (Stream<Path> walk = Files.walk(corpus)) {
      return walk.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
  }
}
