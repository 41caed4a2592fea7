package dev.weft.cli.local;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The state directory of a local mesh: {@code state.json}, {@code logs/} and {@code bootstrap/}. The state file
 * is replaced atomically, so a reader never sees half of it.
 */
public final class StateStore {

  private final Path directory;
  private final ObjectMapper json = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public StateStore(Path directory) {
    this.directory = directory.toAbsolutePath().normalize();
  }

  /** {@code --state-dir}, else {@code WEFT_STATE_DIR}, else {@code ~/.weft/local}. */
  public static Path defaultDirectory() {
    String fromEnv = System.getenv("WEFT_STATE_DIR");
    return fromEnv != null && !fromEnv.isBlank() ? Path.of(fromEnv)
        : Path.of(System.getProperty("user.home"), ".weft", "local");
  }

  /**
   * Where files that outlive a mesh and are shared by all of a user's meshes are kept (the proxies' ahead-of-time
   * cache): {@code $WEFT_CACHE_DIR}, else {@code ~/.weft/cache}.
   */
  public static Path cacheDirectory() {
    String fromEnv = System.getenv("WEFT_CACHE_DIR");
    return fromEnv != null && !fromEnv.isBlank() ? Path.of(fromEnv)
        : Path.of(System.getProperty("user.home"), ".weft", "cache");
  }

  public Path directory() {
    return directory;
  }

  public Path logs() {
    return directory.resolve("logs");
  }

  public Path bootstraps() {
    return directory.resolve("bootstrap");
  }

  /** The proxy tokens {@code weft up} issued (node ID to token, 0600), which weftd admits ADS streams by. */
  public Path proxyTokens() {
    return directory.resolve("proxy-tokens.json");
  }

  /** The copy of the mesh's top-level config files that weftd watches. */
  public Path config() {
    return directory.resolve("config");
  }

  /** weftd's own directory: what it keeps across its restarts (the applied config). */
  public Path weftdData() {
    return directory.resolve("weftd");
  }

  /** What {@code --with-observability} generates and keeps: the mesh config, Prometheus's config and its data. */
  public Path observability() {
    return directory.resolve("observability");
  }

  /** The token weftd wants with every change (its data directory's {@code api-token}, 0600), if the mesh has one. */
  public Optional<String> apiToken() {
    Path file = weftdData().resolve("api-token");
    try {
      return Files.exists(file) ? Optional.of(Files.readString(file).strip()) : Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the API token " + file + ": " + e.getMessage(), e);
    }
  }

  /** Where {@code weft restart NAME} leaves {@code NAME} for the supervising {@code weft up} to find. */
  public Path restartRequests() {
    return directory.resolve("restart");
  }

  public Path stateFile() {
    return directory.resolve("state.json");
  }

  /**
   * The address block whose capture network (namespaces, bridge, rules) this mesh created, kept apart from the
   * state file so it is recorded before the first namespace exists and outlives a killed {@code weft up}.
   */
  public java.util.OptionalInt captureBlock() {
    Path file = directory.resolve("capture-block");
    try {
      return Files.exists(file) ? java.util.OptionalInt.of(Integer.parseInt(Files.readString(file).strip()))
          : java.util.OptionalInt.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    } catch (NumberFormatException e) {
      throw new UncheckedIOException(new IOException(file + " does not hold an address block"));
    }
  }

  public void recordCaptureBlock(int block) {
    try {
      Files.createDirectories(directory);
      Files.writeString(directory.resolve("capture-block"), block + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the capture record in " + directory + ": " + e.getMessage(), e);
    }
  }

  public void clearCaptureBlock() {
    try {
      Files.deleteIfExists(directory.resolve("capture-block"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the capture record in " + directory + ": " + e.getMessage(), e);
    }
  }

  /** The state, or empty when there is none; an unreadable file is reported, not ignored. */
  public Optional<RuntimeState> read() {
    if (!Files.exists(stateFile())) {
      return Optional.empty();
    }
    try {
      return Optional.of(json.readValue(stateFile().toFile(), RuntimeState.class));
    } catch (IOException e) {
      throw new UncheckedIOException("state file " + stateFile() + " is unreadable: " + e.getMessage(), e);
    }
  }

  public void write(RuntimeState state) {
    try {
      Files.createDirectories(directory);
      Path temp = Files.createTempFile(directory, "state", ".tmp");
      json.writeValue(temp.toFile(), state);
      Files.move(temp, stateFile(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + stateFile() + ": " + e.getMessage(), e);
    }
  }

  public void clear() {
    try {
      Files.deleteIfExists(stateFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + stateFile() + ": " + e.getMessage(), e);
    }
  }
}
