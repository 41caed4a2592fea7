package dev.weft.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A proxy started with {@link ProxyJvm}'s flags collects its heap once when ready and gives back what start-up left:
 * the serial collector's log shows one full collection for {@code System.gc()} after the proxy said it started, with
 * the old generation left at most its live set over (1 - MaxHeapFreeRatio). A child JVM, as weft up starts it.
 */
class HeapCompactionTest {

    private static final Pattern FULL_GC =
            Pattern.compile("Pause Full \\(System\\.gc\\(\\)\\) (\\d+)M->(\\d+)M\\((\\d+)M\\)");

    @TempDir
    Path dir;
    private Process proxy;

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.destroyForcibly();
        }
    }

    @Test
    void theHeapIsCompactedOnceWhenTheProxyIsReady() throws Exception {
        Path bootstrap = Files.writeString(dir.resolve("bootstrap.yaml"), Bootstraps.http("", Bootstraps.anyHost("""
                - match: { prefix: / }
                  direct_response: { status: 200 }
                """), "", ""));
        Path log = dir.resolve("proxy.log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(ProxyJvm.flags(Runtime.version().feature(), ProxyJvm.DEFAULT_MAX_HEAP));
        command.addAll(List.of("-Xlog:gc:stderr", "-cp", System.getProperty("java.class.path"),
                ProxyMain.class.getName(), "--bootstrap", bootstrap.toString()));
        proxy = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();

        Matcher full = FULL_GC.matcher("");
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            assertThat(proxy.isAlive()).as("proxy running: %s", Files.readString(log)).isTrue();
            return full.reset(Files.readString(log)).find();
        });
        String output = Files.readString(log);
        assertThat(output.indexOf("weft-proxy: started")).as(output).isBetween(0, full.start());
        long live = Long.parseLong(full.group(2));
        long capacity = Long.parseLong(full.group(3));
        // The old generation at most live / (1 - 0.30), the young one half of that (the serial collector's NewRatio 2);
        // without MaxHeapFreeRatio it would stay at up to live / (1 - 0.70).
        assertThat(capacity).as("heap after the collection, MB, for %d MB live: %s", live, full.group())
                .isLessThanOrEqualTo(Math.round(live / 0.7 * 1.5) + 1);
        assertThat(full.find()).as("collected once").isFalse();
    }
}
