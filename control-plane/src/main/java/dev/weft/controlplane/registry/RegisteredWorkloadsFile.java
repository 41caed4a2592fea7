package dev.weft.controlplane.registry;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.xds.mesh.WorkloadInstance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Logger;

/**
 * The workloads registered by connected sidecars, by node ID, saved for a restarted weftd. A hint, not a record of
 * intent: it is replaced atomically but not forced to disk, an unreadable file counts as empty, and a failed write
 * is only logged (the restarted weftd then waits for the sidecars to reconnect, as without it).
 */
public final class RegisteredWorkloadsFile {

    private static final Logger LOG = Logger.getLogger(RegisteredWorkloadsFile.class.getName());
    private static final TypeReference<TreeMap<String, WorkloadInstance>> TYPE = new TypeReference<>() {
    };

    private final Path file;
    private final ObjectMapper json = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public RegisteredWorkloadsFile(Path file) {
        this.file = file.toAbsolutePath();
    }

    Map<String, WorkloadInstance> read() {
        if (!Files.exists(file)) {
            return Map.of();
        }
        try {
            return json.readValue(file.toFile(), TYPE);
        } catch (IOException | RuntimeException e) {
            LOG.warning(() -> "ignoring the registered workloads in " + file + ": " + e.getMessage());
            return Map.of();
        }
    }

    void write(Map<String, WorkloadInstance> workloads) {
        try {
            Files.createDirectories(file.getParent());
            Path temp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
            json.writeValue(temp.toFile(), new TreeMap<>(workloads));
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warning(() -> "cannot save the registered workloads to " + file + ": " + e.getMessage());
        }
    }
}
