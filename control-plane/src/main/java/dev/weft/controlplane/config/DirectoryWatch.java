package dev.weft.controlplane.config;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Watches a directory tree (subdirectories created later too) on a thread of its own and calls back once each burst
 * of changes has settled.
 */
final class DirectoryWatch implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DirectoryWatch.class.getName());
    private static final Duration SETTLE = Duration.ofMillis(50);

    private final Path directory;
    private final WatchService watcher;
    private final Runnable onChange;
    private final Thread thread;

    private DirectoryWatch(Path directory, String threadName, Runnable onChange) throws IOException {
        this.directory = directory;
        this.onChange = onChange;
        this.watcher = FileSystems.getDefault().newWatchService();
        try {
            registerTree();
        } catch (IOException e) {
            watcher.close();
            throw e;
        }
        thread = new Thread(this::watch, threadName);
        thread.setDaemon(true);
    }

    /** Watches from now on; changes are reported on a daemon thread named {@code threadName}. */
    static DirectoryWatch start(Path directory, String threadName, Runnable onChange) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new IOException(directory + " is not a directory");
        }
        DirectoryWatch watch = new DirectoryWatch(directory, threadName, onChange);
        watch.thread.start();
        return watch;
    }

    private void registerTree() throws IOException {
        try (Stream<Path> dirs = Files.walk(directory)) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                        StandardWatchEventKinds.ENTRY_DELETE);
            }
        }
    }

    private void watch() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                drain(watcher.take());
                // Editors and copy tools write in several steps (truncate, then write): let them finish.
                WatchKey more;
                while ((more = watcher.poll(SETTLE.toMillis(), TimeUnit.MILLISECONDS)) != null) {
                    drain(more);
                }
                registerTree();
                onChange.run();
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.warning(() -> "stopped watching " + directory + ": " + e.getMessage());
        }
    }

    private static void drain(WatchKey key) {
        key.pollEvents();
        key.reset();
    }

    @Override
    public void close() throws IOException {
        thread.interrupt();
        watcher.close();
    }
}
