package dev.weft.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.LockSupport;

/**
 * A started proxy: its process tree (for CPU and RSS) and how long it took from exec to being ready (for a proxy
 * that takes all the scenarios: serving its first proxied 200 and accepting on its TCP port).
 */
final class ProxyProcess implements AutoCloseable {

    private static final Duration READY_BOUND = Duration.ofSeconds(60);

    private final Process process;
    private final ProcessTree tree;
    private final double startupMillis;
    private final Path log;

    private ProxyProcess(Process process, double startupMillis, Path log) {
        this.process = process;
        this.tree = new ProcessTree(process.pid());
        this.startupMillis = startupMillis;
        this.log = log;
    }

    /** Ready when its HTTP/1.1 port answers {@code path} with a 200 and its TCP port accepts. */
    static BooleanSupplier servesAndAccepts(Endpoints endpoints, String path) {
        return () -> servesOk(endpoints.http1(), path) && accepts(endpoints.tcp());
    }

    /** Ready when {@code port} answers {@code path} with a 200. */
    static BooleanSupplier serves(int port, String path) {
        return () -> servesOk(port, path);
    }

    /** Ready when {@code port} accepts a connection (for a port speaking TLS only). */
    static BooleanSupplier acceptsOn(int port) {
        return () -> accepts(port);
    }

    static ProxyProcess start(List<String> command, BooleanSupplier ready, Path log) {
        long begin = System.nanoTime();
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
        }
        long deadline = begin + READY_BOUND.toNanos();
        while (!ready.getAsBoolean()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException("not ready (exit " + (process.isAlive() ? "none" : process.exitValue())
                        + "): " + String.join(" ", command) + "\n" + tail(log));
            }
            LockSupport.parkNanos(2_000_000);
        }
        return new ProxyProcess(process, (System.nanoTime() - begin) / 1e6, log);
    }

    ProcessTree tree() {
        return tree;
    }

    /** The process started (the proxy itself: taskset replaces itself with it). */
    long pid() {
        return process.pid();
    }

    double startupMillis() {
        return startupMillis;
    }

    Path log() {
        return log;
    }

    @Override
    public void close() {
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        all.forEach(ProcessHandle::destroyForcibly);
    }

    private static boolean servesOk(int port, String path) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            s.setSoTimeout(2_000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return HttpResponseReader.readResponse(new BufferedInputStream(s.getInputStream())) == 200;
        } catch (IOException | RuntimeException notYet) {
            return false;
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
