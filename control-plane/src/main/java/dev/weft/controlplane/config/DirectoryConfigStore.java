package dev.weft.controlplane.config;

import dev.weft.model.ConfigError;
import dev.weft.model.ConfigSnapshot;
import dev.weft.model.load.ConfigLoader;
import dev.weft.model.load.LoadResult;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.List;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Configuration from a directory of YAML/JSON files, reloaded whole when anything in it changes. A reload
 * with any error is rejected as a unit: the previous snapshot stays and the errors are logged and kept.
 */
public final class DirectoryConfigStore implements ConfigStore, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DirectoryConfigStore.class.getName());
    private static final Duration SETTLE = Duration.ofMillis(50);

    private final Path directory;
    private final ConfigLoader loader;
    private final AtomicReference<ConfigSnapshot> snapshot = new AtomicReference<>(ConfigSnapshot.empty());
    private final AtomicReference<List<ConfigError>> errors = new AtomicReference<>(List.of());
    private final ListenerList listeners = new ListenerList();
    private WatchService watcher;
    private Thread watchThread;

    public DirectoryConfigStore(Path directory, ConfigLoader loader) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.loader = Objects.requireNonNull(loader, "loader");
    }

    @Override
    public ConfigSnapshot snapshot() {
        return snapshot.get();
    }

    @Override
    public List<ConfigError> errors() {
        return errors.get();
    }

    @Override
    public void addListener(Runnable onChange) {
        listeners.add(onChange);
    }

    /** Loads the directory now; true when the result was accepted. */
    public synchronized boolean reload() {
        LoadResult result = loader.load(directory);
        if (result.hasErrors()) {
            errors.set(result.errors());
            result.errors().forEach(e -> LOG.warning(() -> "config rejected, keeping the last good config: " + e));
            return false;
        }
        errors.set(List.of());
        snapshot.set(result.snapshot());
        LOG.info(() -> "config loaded from " + directory + ": " + result.accepted().size() + " resources");
        listeners.fire();
        return true;
    }

    /** Loads once, then reloads on every change under the directory until closed. */
    public void start() throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new IOException(directory + " is not a directory");
        }
        watcher = FileSystems.getDefault().newWatchService();
        try {
            registerTree();
        } catch (IOException e) {
            watcher.close();
            throw e;
        }
        reload();
        watchThread = new Thread(this::watch, "weftd-config-watch");
        watchThread.setDaemon(true);
        watchThread.start();
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
                reload();
            }
        } catch (InterruptedException | java.nio.file.ClosedWatchServiceException e) {
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
        if (watchThread != null) {
            watchThread.interrupt();
        }
        if (watcher != null) {
            watcher.close();
        }
    }
}
