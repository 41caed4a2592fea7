package dev.weft.cli.local;

import dev.weft.controlplane.Weftd;
import dev.weft.controlplane.config.AppliedConfigFile;
import dev.weft.controlplane.config.AppliedConfigStore;
import dev.weft.controlplane.config.ConfigStore;
import dev.weft.model.ConfigSnapshot;
import dev.weft.model.Resource;
import dev.weft.model.load.ConfigLoader;
import dev.weft.model.load.LoadResult;
import dev.weft.model.ConfigError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The config weftd serves, as the running {@code weft up} sees it: the copy of the mesh directory's files weftd
 * watches with what {@code weft apply} and {@code weft delete} changed laid over it, read from weftd's own files by
 * weftd's own classes. It tells the runtime when a Gateway for the ingress came or went, and which Services and
 * Deployments a workload added at run time finds. {@link #fingerprint()} changes whenever any of it may have.
 */
final class ConfigInForce {

  /** Held so the level set on it stays: its restore message is weftd's log line, not the CLI's. */
  private static final Logger APPLIED_LOG = Logger.getLogger(AppliedConfigStore.class.getName());

  private final Path configDir;
  private final Path appliedFile;

  ConfigInForce(StateStore store) {
    this.configDir = store.config();
    this.appliedFile = store.weftdData().resolve(Weftd.APPLIED_FILE);
    APPLIED_LOG.setLevel(Level.WARNING);
  }

  /** The resources in force now; a directory that does not load counts as empty, as weftd keeps its last good one. */
  List<Resource<?>> resources() {
    ConfigLoader loader = new ConfigLoader();
    LoadResult directory = Files.isDirectory(configDir) ? loader.load(configDir) : loader.load(List.of());
    ConfigSnapshot beneath = directory.hasErrors() ? ConfigSnapshot.empty() : directory.snapshot();
    AppliedConfigStore applied = new AppliedConfigStore(loader, new Fixed(beneath),
        Optional.of(new AppliedConfigFile(appliedFile)));
    return applied.snapshot().all();
  }

  /** Names, sizes and times of every file {@link #resources()} reads. */
  String fingerprint() {
    StringBuilder print = new StringBuilder();
    Stream.concat(configFiles().stream(), Stream.of(appliedFile)).forEach(file -> {
      try {
        print.append(file).append(' ').append(Files.size(file)).append(' ')
            .append(Files.getLastModifiedTime(file).toMillis()).append('\n');
      } catch (IOException e) {
        print.append(file).append(" absent\n");
      }
    });
    return print.toString();
  }

  private List<Path> configFiles() {
    if (!Files.isDirectory(configDir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(configDir)) {
      return files.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + configDir + ": " + e.getMessage(), e);
    }
  }

  /** A config store that holds one snapshot. */
  private record Fixed(ConfigSnapshot snapshot) implements ConfigStore {
    @Override
    public List<ConfigError> errors() {
      return List.of();
    }

    @Override
    public void addListener(Runnable onChange) {
    }
  }
}
