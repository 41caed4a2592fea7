package dev.weft.proxy.accesslog;

import dev.weft.proxy.config.ConfigException;
import dev.weft.proxy.stats.Stats;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Writes every access log line of the proxy from one thread, so an event loop only offers a line to a bounded
 * queue and never waits on a file, a pipe or a lock. When the queue is full (the disk or the reader of a pipe
 * is slower than the traffic) the line is dropped and counted in {@code access_log.dropped}; write errors count
 * in {@code access_log.write_failed}. Each path is opened once, by the writer thread when it first writes to it,
 * so a FIFO without a reader holds up only that thread.
 */
public final class AccessLogWriter implements AutoCloseable {

    public static final int DEFAULT_CAPACITY = 16_384;
    private static final int BATCH = 1024;

    private record Line(Target target, String text) {
    }

    private final BlockingQueue<Line> queue;
    private final Map<String, Target> targets = new ConcurrentHashMap<>();
    private final LongAdder dropped;
    private final LongAdder failed;
    private final Thread thread;

    public AccessLogWriter(int capacity, Stats stats) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.dropped = stats.counter("access_log.dropped");
        this.failed = stats.counter("access_log.write_failed");
        this.thread = Thread.ofPlatform().daemon().name("weft-access-log").start(this::drain);
    }

    /**
     * The sink for a path; {@code /dev/stdout} and {@code /dev/stderr} are the process's streams. Loggers of one
     * path share one open file. A path whose directory does not exist is a config error.
     */
    public AccessLogSink sink(String path) {
        Target target = targets.computeIfAbsent(path, Target::of);
        return line -> {
            if (!queue.offer(new Line(target, line))) {
                dropped.increment();
            }
        };
    }

    private void drain() {
        List<Line> batch = new ArrayList<>(BATCH);
        try {
            while (true) {
                batch.add(queue.take());
                queue.drainTo(batch, BATCH - 1);
                writeAll(batch);
            }
        } catch (InterruptedException e) {
            // Closing: what is queued still gets written, then the files are closed.
            queue.drainTo(batch);
            writeAll(batch);
            targets.values().forEach(Target::close);
        }
    }

    private void writeAll(List<Line> batch) {
        Set<Target> touched = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Line line : batch) {
            write(line);
            touched.add(line.target());
        }
        touched.forEach(this::flush);
        batch.clear();
    }

    private void write(Line line) {
        try {
            line.target().out().write(line.text().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            failed.increment();
        }
    }

    private void flush(Target target) {
        try {
            target.out().flush();
        } catch (IOException e) {
            failed.increment();
        }
    }

    /** Stops the writer once it has written what is queued (waiting a second at most). */
    @Override
    public void close() {
        thread.interrupt();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** An output opened on first use and closed at the end, on the writer thread. */
    private static final class Target {

        private final Path path;
        private OutputStream out;

        private Target(Path path, OutputStream out) {
            this.path = path;
            this.out = out;
        }

        static Target of(String path) {
            return switch (path) {
                case "/dev/stdout" -> stream(System.out);
                case "/dev/stderr" -> stream(System.err);
                default -> {
                    Path file = Path.of(path).toAbsolutePath();
                    if (!Files.isDirectory(file.getParent())) {
                        throw new ConfigException("access log path " + path + ": directory " + file.getParent()
                                + " does not exist");
                    }
                    yield new Target(file, null);
                }
            };
        }

        private static Target stream(PrintStream stream) {
            return new Target(null, stream);
        }

        /** Closes a file; the process's streams stay open. */
        void close() {
            if (path != null && out != null) {
                try {
                    out.close();
                } catch (IOException ignored) {
                    // Closing at shutdown: nothing left to tell.
                }
            }
        }

        OutputStream out() throws IOException {
            if (out == null) {
                out = new BufferedOutputStream(Files.newOutputStream(path, StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE, StandardOpenOption.APPEND));
            }
            return out;
        }
    }
}
