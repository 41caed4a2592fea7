package dev.weft.controlplane.config;

import dev.weft.model.ConfigError;
import dev.weft.model.Severity;
import dev.weft.model.load.MeshConfigLoader;
import dev.weft.model.mesh.MeshConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * weftd's mesh config ({@code --mesh-config}, istiod's {@code mesh} file): Istio's MeshConfig YAML, read again when
 * the file changes (another file, modification time or size; a rewritten or replaced file, or a ConfigMap mount's
 * symbolic link swap). A version with any error, or a removed file, is logged once and the last good config stays.
 */
public final class MeshConfigFile {

    /** How often weftd looks at the file: a stat, and a parse only when it changed. */
    public static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);

    private static final Logger LOG = Logger.getLogger(MeshConfigFile.class.getName());

    private final ReloadedFile<MeshConfigLoader.Result> file;
    /** The read last looked at, so each version of the file is reported once. */
    private MeshConfigLoader.Result seen;
    private volatile MeshConfig current;

    private MeshConfigFile(Path path, MeshConfigLoader loader) {
        MeshConfigLoader.Result missing = new MeshConfigLoader.Result(Optional.empty(), List.of(
                new ConfigError(Severity.ERROR, path.toString(), 1, "", "", "no such file")));
        this.file = new ReloadedFile<>(path, missing, loader::load);
    }

    /**
     * Reads the file once.
     *
     * @throws IllegalArgumentException with every error, when the file is missing or has any
     */
    public static MeshConfigFile read(Path path, MeshConfigLoader loader) {
        MeshConfigFile mesh = new MeshConfigFile(Objects.requireNonNull(path, "path"), loader);
        MeshConfigLoader.Result first = mesh.file.current();
        mesh.seen = first;
        first.findings().stream().filter(f -> !f.isError()).forEach(f -> LOG.warning(f::toString));
        mesh.current = first.config().orElseThrow(() -> new IllegalArgumentException("invalid mesh config:\n"
                + first.findings().stream().map(ConfigError::toString).collect(Collectors.joining("\n"))));
        return mesh;
    }

    public MeshConfig current() {
        return current;
    }

    /** Reads the file again if it changed; true when that replaced the config with a different good one. */
    public synchronized boolean reload() {
        MeshConfigLoader.Result read = file.current();
        if (read == seen) {
            return false;
        }
        seen = read;
        read.findings().forEach(f -> LOG.warning(() -> (f.isError()
                ? "mesh config rejected, keeping the last good one: " : "") + f));
        if (read.config().isEmpty() || read.config().get().equals(current)) {
            return false;
        }
        current = read.config().get();
        LOG.info("mesh config reloaded");
        return true;
    }
}
