package dev.weft.controlplane.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Where weftd keeps what {@code weft apply} and {@code weft delete} changed, so a restarted weftd serves what it
 * served before: the applied YAML bodies still in force, which resource each applied key comes from, and the keys a
 * delete hid. Replaced whole and atomically on every change (temporary file, fsync, rename, fsync of the
 * directory), so a crash at any moment leaves either the old state or the new one.
 */
public final class AppliedConfigFile {

    /** One accepted apply body, as it was sent; {@code source} labels its resources ({@code <apply>}). */
    public record Body(String source, String yaml) {
    }

    /** A resource key as stored: kind name, namespace, name. */
    public record StoredKey(String kind, String namespace, String name) {
    }

    /** An applied resource: its key and the body it was applied with. */
    public record AppliedEntry(StoredKey key, long body) {
    }

    /** The whole applied state. */
    public record Saved(Map<Long, Body> bodies, List<AppliedEntry> applied, List<StoredKey> hidden) {

        public Saved {
            bodies = new TreeMap<>(bodies);
            applied = List.copyOf(applied);
            hidden = List.copyOf(hidden);
        }

        static Saved empty() {
            return new Saved(Map.of(), List.of(), List.of());
        }
    }

    private final Path file;
    private final ObjectMapper json = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public AppliedConfigFile(Path file) {
        this.file = Objects.requireNonNull(file, "file").toAbsolutePath();
    }

    public Path path() {
        return file;
    }

    /** The saved state, empty when nothing was ever applied. */
    public Saved read() throws IOException {
        if (!Files.exists(file)) {
            return Saved.empty();
        }
        return json.readValue(file.toFile(), Saved.class);
    }

    /** Replaces the saved state; when this returns, the new state survives a crash of weftd or of the machine. */
    public void write(Saved saved) throws IOException {
        Path directory = file.getParent();
        Files.createDirectories(directory);
        Path temp = Files.createTempFile(directory, file.getFileName().toString(), ".tmp");
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                out.write(java.nio.ByteBuffer.wrap(json.writeValueAsBytes(saved)));
                out.force(true);
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
        // The rename itself is durable only once the directory entry is.
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }
}
