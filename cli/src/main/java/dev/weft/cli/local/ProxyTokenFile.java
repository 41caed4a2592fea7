package dev.weft.cli.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The proxy tokens {@code weft up} issues: 32 random bytes (hex) for each proxy it starts, written into that proxy's
 * bootstrap and listed by node ID in a JSON file of mode 0600 that weftd ({@code --proxy-tokens}) reads to admit ADS
 * streams. The file is replaced atomically, so weftd never reads half of it.
 */
final class ProxyTokenFile {

  private final Path file;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, String> issued = new TreeMap<>();

  ProxyTokenFile(Path file) {
    this.file = file;
  }

  Path path() {
    return file;
  }

  /** A new token for the node, listed before it is returned; a node issued one before keeps it. */
  synchronized String issue(String nodeId) {
    String known = issued.get(nodeId);
    if (known != null) {
      return known;
    }
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String token = HexFormat.of().formatHex(bytes);
    issued.put(nodeId, token);
    write();
    return token;
  }

  private void write() {
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.deleteIfExists(temp);
      Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.write(temp, new ObjectMapper().writeValueAsBytes(issued));
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the proxy tokens " + file + ": " + e.getMessage(), e);
    }
  }
}
