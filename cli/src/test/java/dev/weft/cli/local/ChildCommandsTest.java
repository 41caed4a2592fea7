package dev.weft.cli.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.proxy.ProxyJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ChildCommandsTest {

  /** What Netty and gRPC do at start: sun.misc.Unsafe memory access and a native library load. */
  public static final class UnsafeAndNative {
    public static void main(String[] args) throws Exception {
      var field = Class.forName("sun.misc.Unsafe").getDeclaredField("theUnsafe");
      field.setAccessible(true);
      Object unsafe = field.get(null);
      long address = (long) unsafe.getClass().getMethod("allocateMemory", long.class).invoke(unsafe, 8L);
      unsafe.getClass().getMethod("freeMemory", long.class).invoke(unsafe, address);
      System.loadLibrary("zip");
      System.out.println("done");
    }
  }

  @Test
  void aChildJvmThatUsesUnsafeAndNativeAccessPrintsNoJdkWarning() throws Exception {
    List<String> command = ChildCommands.ofCurrentJvm().java(UnsafeAndNative.class.getName(), List.of(), "32m");

    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = read(child);

    assertThat(child.exitValue()).as(output).isZero();
    assertThat(output).isEqualTo("done\n");
  }

  @Test
  void aJdkBefore23IsNotGivenTheUnsafeOptionItWouldRefuse() {
    List<String> jdk21 = new ChildCommands("java", 21, "cp", false).java("Main", List.of(), "32m");
    List<String> jdk25 = new ChildCommands("java", 25, "cp", false).java("Main", List.of(), "32m");

    assertThat(jdk21).contains("--enable-native-access=ALL-UNNAMED")
        .doesNotContain("--sun-misc-unsafe-memory-access=allow");
    assertThat(jdk25).contains("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow");
  }

  @Test
  void theProxyStartsWithTheFlagsItIsMeasuredWith() {
    List<String> proxy = new ChildCommands("java", 25, "cp", false).proxy("Main", List.of("--bootstrap", "b.yaml"),
        "48m");

    assertThat(proxy).containsSequence(ProxyJvm.flags(25, "48m")).endsWith("Main", "--bootstrap", "b.yaml")
        .doesNotContain("-XX:TieredStopAtLevel=1");
  }

  private static String read(Process child) throws IOException, InterruptedException {
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return output;
  }
}
