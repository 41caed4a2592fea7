package dev.weft.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
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

/** A proxy started with {@link ProxyJvm}'s flags in a child JVM, as weft up starts it. */
class ProxyChildJvmTest {

    private static final Pattern FULL_GC =
            Pattern.compile("Pause Full \\(System\\.gc\\(\\)\\) (\\d+)M->(\\d+)M\\((\\d+)M\\)");

    @TempDir
    Path dir;
    private Process proxy;
    private Path log;

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.destroyForcibly();
        }
    }

    private void start(String... extraFlags) throws IOException {
        Path bootstrap = Files.writeString(dir.resolve("bootstrap.yaml"), Bootstraps.http("", Bootstraps.anyHost("""
                - match: { prefix: / }
                  direct_response: { status: 200 }
                """), "", ""));
        log = dir.resolve("proxy.log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(ProxyJvm.flags(Runtime.version().feature(), ProxyJvm.DEFAULT_MAX_HEAP));
        command.addAll(List.of(extraFlags));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ProxyMain.class.getName(),
                "--bootstrap", bootstrap.toString()));
        proxy = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /**
     * The proxy collects its heap once when ready and gives back what start-up left: the serial collector's log
     * shows one full collection for {@code System.gc()} after the proxy said it started, with the old generation
     * left at most its live set over (1 - MaxHeapFreeRatio).
     */
    @Test
    void theHeapIsCompactedOnceWhenTheProxyIsReady() throws Exception {
        start("-Xlog:gc:stderr");

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

    /**
     * A proxy reads its YAML bootstrap with SnakeYAML and loads no Jackson class, though the tests' class path, which
     * the child runs on, has Jackson: its ~500 classes cost a proxy some 7 MB of metaspace, heap and AOT cache.
     */
    @Test
    void aYamlBootstrapLoadsNoJackson() throws Exception {
        List<String> loaded = classesLoadedUntilStarted();

        assertThat(loaded).as("SnakeYAML read the bootstrap").anyMatch(line -> line.contains(" org.yaml.snakeyaml."));
        assertThat(loaded).noneMatch(line -> line.contains("com.fasterxml."));
    }

    /**
     * Netty neither loads its JFR events, which would load JFR and the class-file API that instruments them, nor
     * looks for SLF4J and Log4J: it logs through java.util.logging ({@link ProxyProcessDefaults}).
     */
    @Test
    void nettyLoadsNoJfrEventsAndProbesForNoLoggingLibrary() throws Exception {
        List<String> loaded = classesLoadedUntilStarted();

        assertThat(loaded).as("Netty's allocator ran").anyMatch(line -> line.contains(" io.netty.buffer."));
        assertThat(loaded).noneMatch(line -> line.contains(" jdk.jfr.Event ") || line.contains("ChunkEvent "));
        assertThat(loaded).noneMatch(line -> line.contains("io.netty.util.internal.logging.Slf4JLoggerFactory")
                || line.contains("io.netty.util.internal.logging.Log4J"));
    }

    private List<String> classesLoadedUntilStarted() throws Exception {
        Path classes = dir.resolve("classes.log");
        start("-Xlog:class+load=info:file=" + classes);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            assertThat(proxy.isAlive()).as("proxy running: %s", Files.readString(log)).isTrue();
            return Files.readString(log).contains("weft-proxy: started");
        });
        return Files.readAllLines(classes);
    }

    /**
     * The JDK's class data archive is mapped where it was made: its read-only half stays a clean, read-only mapping
     * of the file, which every proxy on the machine shares. Relocated (the JDK's default since 20), the whole archive
     * is one writable mapping, each page written and so private to each proxy.
     */
    @Test
    void theClassDataArchiveStaysSharedBetweenProxies() throws Exception {
        start();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            assertThat(proxy.isAlive()).as("proxy running: %s", Files.readString(log)).isTrue();
            return Files.readString(log).contains("weft-proxy: started");
        });

        List<Mapping> archive = archiveMappings(Files.readAllLines(Path.of("/proc", proxy.pid() + "", "smaps")));

        assertThat(archive).as("the archive's mappings").isNotEmpty()
                .anyMatch(m -> m.perms().equals("r--p") && m.rssKb() > 0 && m.privateDirtyKb() == 0);
    }

    private record Mapping(String perms, long rssKb, long privateDirtyKb) {
    }

    /** The mappings of a .jsa file, from /proc/PID/smaps. */
    private static List<Mapping> archiveMappings(List<String> smaps) {
        List<Mapping> found = new ArrayList<>();
        String perms = null;
        long rss = 0;
        for (String line : smaps) {
            String[] f = line.trim().split("\\s+");
            if (f[0].matches("[0-9a-f]+-[0-9a-f]+")) {
                perms = f.length >= 6 && f[5].endsWith(".jsa") ? f[1] : null;
            } else if (perms != null && f[0].equals("Rss:")) {
                rss = Long.parseLong(f[1]);
            } else if (perms != null && f[0].equals("Private_Dirty:")) {
                found.add(new Mapping(perms, rss, Long.parseLong(f[1])));
            }
        }
        return found;
    }
}
