package dev.weft.bench.push;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** weftd started as its own JVM on a config directory, with the ports it printed and its heap read by jcmd. */
final class WeftdProcess implements AutoCloseable {

    private static final Pattern PORTS = Pattern.compile("weftd xds-port=(\\d+) http-port=(\\d+)");
    private static final Pattern THREADS = Pattern.compile("(?m)^Threads:\\s+(\\d+)");
    private static final Pattern HEAP_USED = Pattern.compile("total \\d+K, used (\\d+)K");

    private final Process process;
    private final int xdsPort;
    private final int httpPort;
    private final String jcmd;

    private WeftdProcess(Process process, int xdsPort, int httpPort, String jcmd) {
        this.process = process;
        this.xdsPort = xdsPort;
        this.httpPort = httpPort;
        this.jcmd = jcmd;
    }

    static WeftdProcess start(List<String> pinning, String java, String classpath, List<String> jvmFlags,
            Path configDir, Duration quietPeriod, Duration maxDelay, Path log) {
        List<String> command = new ArrayList<>(pinning);
        command.add(java);
        command.addAll(jvmFlags);
        command.addAll(List.of("-cp", classpath, "dev.weft.controlplane.WeftdMain", "--config-dir",
                configDir.toString(), "--xds-port", "0", "--http-port", "0",
                "--quiet-period-ms", Long.toString(quietPeriod.toMillis()),
                "--max-delay-ms", Long.toString(maxDelay.toMillis())));
        try {
            Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                Matcher m = PORTS.matcher(line);
                if (m.find()) {
                    String jcmd = Path.of(java).resolveSibling("jcmd").toString();
                    Thread.ofPlatform().daemon().start(() -> drain(out));
                    return new WeftdProcess(process, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), jcmd);
                }
            }
            throw new IllegalStateException("weftd exited before printing its ports; see " + log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void drain(BufferedReader out) {
        try {
            while (out.readLine() != null) {
                // weftd's stdout is not needed after the ports line.
            }
        } catch (IOException closed) {
            // The process ended.
        }
    }

    int xdsPort() {
        return xdsPort;
    }

    int httpPort() {
        return httpPort;
    }

    long pid() {
        return process.pid();
    }

    /** The JVM's live threads, from /proc. */
    int threads() {
        try {
            return parseThreads(Files.readString(Path.of("/proc/" + process.pid() + "/status")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int parseThreads(String status) {
        Matcher m = THREADS.matcher(status);
        if (!m.find()) {
            throw new IllegalArgumentException("no Threads line in: " + status);
        }
        return Integer.parseInt(m.group(1));
    }

    /** Heap in use right after a full collection, in KB. */
    long liveHeapKb() {
        jcmd("GC.run");
        return parseHeapUsedKb(jcmd("GC.heap_info"));
    }

    /** Sums the generations' use (Serial and Parallel print one line per generation, G1 one for the heap). */
    static long parseHeapUsedKb(String heapInfo) {
        Matcher m = HEAP_USED.matcher(heapInfo);
        long used = 0;
        boolean found = false;
        while (m.find()) {
            used += Long.parseLong(m.group(1));
            found = true;
        }
        if (!found) {
            throw new IllegalArgumentException("no heap use in: " + heapInfo);
        }
        return used;
    }

    private String jcmd(String command) {
        try {
            Process p = new ProcessBuilder(jcmd, Long.toString(process.pid()), command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("jcmd " + command + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
