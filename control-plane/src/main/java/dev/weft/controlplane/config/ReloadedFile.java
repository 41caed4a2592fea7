package dev.weft.controlplane.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.logging.Logger;

/**
 * What a file another process rewrites while weftd runs says (the tokens {@code weft up} issues): parsed again only
 * when the file changed (another file identity, modification time or size). A missing file reads as
 * {@code missing}; a file that cannot be read or parsed keeps the last value read, and that is logged.
 */
public final class ReloadedFile<T> {

    /** Turns the file into its value. */
    @FunctionalInterface
    public interface Parser<T> {
        T parse(Path file) throws IOException;
    }

    private static final Logger LOG = Logger.getLogger(ReloadedFile.class.getName());

    /** The value as last read, and what identified that version of the file. */
    private record Read<T>(Object fileKey, long modified, long size, T value) {
    }

    private final Path file;
    private final T missing;
    private final Parser<T> parser;
    private Read<T> read;

    public ReloadedFile(Path file, T missing, Parser<T> parser) {
        this.file = Objects.requireNonNull(file, "file");
        this.missing = missing;
        this.parser = parser;
        this.read = new Read<>(null, -1, -1, missing);
    }

    public synchronized T current() {
        try {
            BasicFileAttributes now = Files.readAttributes(file, BasicFileAttributes.class);
            if (!Objects.equals(now.fileKey(), read.fileKey()) || now.lastModifiedTime().toMillis() != read.modified()
                    || now.size() != read.size()) {
                read = new Read<>(now.fileKey(), now.lastModifiedTime().toMillis(), now.size(), parser.parse(file));
            }
        } catch (NoSuchFileException e) {
            read = new Read<>(null, -1, -1, missing);
        } catch (IOException e) {
            LOG.warning(() -> "cannot read " + file + ", keeping what was read before: " + e);
        }
        return read.value();
    }
}
