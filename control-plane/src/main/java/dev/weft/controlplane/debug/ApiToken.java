package dev.weft.controlplane.debug;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The mesh's API token, in a file only its owner can read (0600): created with a fresh random value when missing,
 * read when present, so a restarted weftd keeps the token its CLI already uses.
 */
public final class ApiToken {

    private ApiToken() {
    }

    public static String loadOrCreate(Path file) throws IOException {
        if (!Files.exists(file)) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            try {
                Files.createDirectories(file.toAbsolutePath().getParent());
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, HexFormat.of().formatHex(random) + "\n");
            } catch (FileAlreadyExistsException e) {
                // Another weftd of this data directory made it first: use that one.
            }
        }
        String token = Files.readString(file).strip();
        if (token.isEmpty()) {
            throw new IOException("the API token file " + file + " is empty");
        }
        return token;
    }
}
