package dev.weft.controlplane.ca;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The workload tokens {@code weft up} issues, in a file of the data directory (mode 0600): one line per token,
 * {@code <token> <spiffe-id>}. The file is read again whenever it changes, so a workload added to a running mesh
 * can get its certificate without a weftd restart. A line that does not parse is skipped and logged.
 */
public final class WorkloadTokenFile implements WorkloadTokens {

    private static final Logger LOG = Logger.getLogger(WorkloadTokenFile.class.getName());

    private final Path file;
    private FileTime readAt;
    private Map<String, SpiffeId> tokens = Map.of();

    public WorkloadTokenFile(Path file) {
        this.file = file;
    }

    @Override
    public synchronized Optional<SpiffeId> identify(String token) {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            if (!modified.equals(readAt)) {
                tokens = parse(Files.readAllLines(file));
                readAt = modified;
            }
        } catch (NoSuchFileException e) {
            tokens = Map.of();
            readAt = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the workload tokens in " + file, e);
        }
        return Optional.ofNullable(tokens.get(token));
    }

    private Map<String, SpiffeId> parse(Iterable<String> lines) {
        Map<String, SpiffeId> parsed = new HashMap<>();
        int number = 0;
        for (String line : lines) {
            number++;
            String[] parts = line.strip().split("\\s+");
            if (parts.length == 1 && parts[0].isEmpty()) {
                continue;
            }
            try {
                if (parts.length != 2) {
                    throw new IllegalArgumentException("expected '<token> <spiffe-id>'");
                }
                parsed.put(parts[0], SpiffeId.parse(parts[1]));
            } catch (IllegalArgumentException e) {
                LOG.warning(file + ":" + number + ": skipped: " + e.getMessage());
            }
        }
        return Map.copyOf(parsed);
    }
}
