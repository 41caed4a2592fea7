package dev.weft.cli.local;

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
 * The workload tokens {@code weft up} issues, the local stand-in for Kubernetes service-account tokens: each proxy
 * gets 32 random bytes (hex) in a file only this user reads, which it shows weftd's CA to get the certificate of its
 * SPIFFE ID. weftd reads the tokens from {@code workload-tokens} in its data directory ({@code <token> <spiffe-id>}
 * lines), which is replaced atomically, so it never reads half of it.
 */
final class WorkloadTokenIssuer {

  private final Path tokensFile;
  private final Path tokenDirectory;
  private final SecureRandom random = new SecureRandom();
  /** Token by proxy name, with the identity it proves. */
  private final Map<String, Map.Entry<String, String>> issued = new TreeMap<>();

  /**
   * @param tokensFile weftd's list of tokens
   * @param tokenDirectory where each proxy's own token file goes
   */
  WorkloadTokenIssuer(Path tokensFile, Path tokenDirectory) {
    this.tokensFile = tokensFile;
    this.tokenDirectory = tokenDirectory;
  }

  /** The token file of proxy {@code name} for {@code spiffeId}; a proxy issued one before keeps its token. */
  synchronized Path issue(String name, String spiffeId) {
    Map.Entry<String, String> known = issued.get(name);
    Path file = tokenDirectory.resolve(name + ".ca-token");
    if (known != null && known.getValue().equals(spiffeId)) {
      return file;
    }
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String token = HexFormat.of().formatHex(bytes);
    issued.put(name, Map.entry(token, spiffeId));
    writePrivately(file, token + "\n");
    StringBuilder lines = new StringBuilder();
    issued.values().forEach(e -> lines.append(e.getKey()).append(' ').append(e.getValue()).append('\n'));
    writePrivately(tokensFile, lines.toString());
    return file;
  }

  private static void writePrivately(Path file, String content) {
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.createDirectories(file.getParent());
      Files.deleteIfExists(temp);
      Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(temp, content);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
