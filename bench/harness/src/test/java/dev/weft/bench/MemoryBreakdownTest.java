package dev.weft.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The memory breakdown reads what a real JVM's jcmd prints, and sorts loaded classes by library. */
class MemoryBreakdownTest {

    private static String jcmd(long pid, String... command) throws IOException, InterruptedException {
        Path java = Path.of(ProcessHandle.current().info().command().orElseThrow());
        List<String> argv = new java.util.ArrayList<>(List.of(java.resolveSibling("jcmd").toString(),
                Long.toString(pid)));
        argv.addAll(List.of(command));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }

    /** A child JVM with NMT on, its summary parsed: the categories add up to no more than the total. */
    @Test
    void parsesARealNativeMemorySummary() throws Exception {
        Path java = Path.of(ProcessHandle.current().info().command().orElseThrow());
        Process child = new ProcessBuilder(java.toString(), "-XX:NativeMemoryTracking=summary", "-Xmx32m",
                "-cp", System.getProperty("java.class.path"), Sleeper.class.getName()).start();
        try {
            assertThat(child.getInputStream().read()).as("the child says it is up").isEqualTo('u');
            NativeMemorySummary nmt = NativeMemorySummary.parse(jcmd(child.pid(), "VM.native_memory", "summary",
                    "scale=KB"));
            assertThat(nmt.committed("Java Heap")).isPositive();
            assertThat(nmt.committed("Class")).isPositive();
            assertThat(nmt.classes()).isGreaterThan(300);
            assertThat(nmt.threads()).isPositive();
            assertThat(nmt.metaspaceUsedKb()).isPositive();
            assertThat(nmt.committedKb().values().stream().mapToLong(Long::longValue).sum())
                    .isLessThanOrEqualTo(nmt.totalCommittedKb());
            Map<String, Long> classes = ClassCensus.count(jcmd(child.pid(), "VM.classes"));
            assertThat(classes.get("JDK")).isGreaterThan(300);
            assertThat(classes).containsKey("weft");
        } finally {
            child.destroyForcibly().waitFor();
        }
    }

    @Test
    void aSummaryWithoutTrackingIsAClearError() {
        assertThatThrownBy(() -> NativeMemorySummary.parse("Native memory tracking is not enabled\n"))
                .hasMessageContaining("-XX:NativeMemoryTracking=summary");
    }

    @Test
    void classesAreCountedByLibrary() {
        assertThat(ClassCensus.origin("io.envoyproxy.envoy.config.cluster.v3.Cluster")).startsWith("Envoy API");
        assertThat(ClassCensus.origin("io.grpc.netty.shaded.io.netty.channel.Channel")).isEqualTo("gRPC's shaded Netty");
        assertThat(ClassCensus.origin("io.netty.channel.Channel")).isEqualTo("Netty");
        assertThat(ClassCensus.origin("dev.weft.proxy.ProxyMain")).isEqualTo("weft");
        assertThat(ClassCensus.origin("java.lang.invoke.LambdaForm$MH/0x0000000035145400")).startsWith("generated");
    }

    /** Prints "u" when up, then waits to be killed. */
    public static final class Sleeper {
        public static void main(String[] args) throws Exception {
            System.out.print('u');
            System.out.flush();
            Thread.sleep(60_000);
        }
    }
}
