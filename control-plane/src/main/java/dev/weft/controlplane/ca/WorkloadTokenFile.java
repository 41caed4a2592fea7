package dev.weft.controlplane.ca;

import dev.weft.controlplane.config.ReloadedFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The workload tokens {@code weft up} issues, in a file of the data directory (mode 0600): one line per token,
 * {@code <token> <spiffe-id>}. The file is read again whenever it changes, so a workload added to a running mesh
 * can get its certificate without a weftd restart. A line that does not parse is skipped and logged.
 */
public final class WorkloadTokenFile implements WorkloadTokens {

    private static final Logger LOG = Logger.getLogger(WorkloadTokenFile.class.getName());

    private final ReloadedFile<Map<String, SpiffeId>> tokens;

    public WorkloadTokenFile(Path file) {
        this.tokens = new ReloadedFile<>(file, Map.of(), f -> parse(f, Files.readAllLines(f)));
    }

    @Override
    public SpiffeId identify(String token) throws TokenRefused {
        SpiffeId identity = tokens.current().get(token);
        if (identity == null) {
            throw new TokenRefused("not a workload token weft up issued");
        }
        return identity;
    }

    private static Map<String, SpiffeId> parse(Path file, Iterable<String> lines) {
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
