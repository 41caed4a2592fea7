package dev.weft.controlplane.config;

import dev.weft.model.ConfigError;
import dev.weft.model.ConfigSnapshot;
import dev.weft.model.load.ConfigLoader;
import dev.weft.model.load.LoadResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * Configuration from a directory of YAML/JSON files, reloaded whole when anything in it changes. A reload
 * with any error is rejected as a unit: the previous snapshot stays and the errors are logged and kept.
 */
public final class DirectoryConfigStore implements ConfigStore, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DirectoryConfigStore.class.getName());

    private final Path directory;
    private final ConfigLoader loader;
    private final ValidationObserver validations;
    private final AtomicReference<ConfigSnapshot> snapshot = new AtomicReference<>(ConfigSnapshot.empty());
    private final AtomicReference<List<ConfigError>> errors = new AtomicReference<>(List.of());
    private final ListenerList listeners = new ListenerList();
    private DirectoryWatch watch;

    public DirectoryConfigStore(Path directory, ConfigLoader loader) {
        this(directory, loader, ValidationObserver.NONE);
    }

    /** {@code validations} is told of every reload's result, accepted or not. */
    public DirectoryConfigStore(Path directory, ConfigLoader loader, ValidationObserver validations) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.loader = Objects.requireNonNull(loader, "loader");
        this.validations = Objects.requireNonNull(validations, "validations");
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
        validations.validated(result);
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
        watch = DirectoryWatch.start(directory, "weftd-config-watch", this::reload);
        reload();
    }

    @Override
    public void close() throws IOException {
        if (watch != null) {
            watch.close();
        }
    }
}
