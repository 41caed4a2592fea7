package dev.weft.controlplane.config;

import dev.weft.xds.secret.Credential;
import dev.weft.xds.secret.Credentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * TLS credentials from a directory, one subdirectory per credential named as the credential, holding the keys of a
 * Kubernetes TLS Secret as files: {@code tls.crt} and {@code tls.key}, and {@code ca.crt} for mutual TLS (or
 * Istio's generic {@code cert}, {@code key}, {@code cacert}: {@link Credential#fromEntries}). They are mesh-wide: a
 * gateway of any namespace may name them. Istio's other CA layout is a second credential
 * {@code <name>-cacert} holding only {@code ca.crt}. Watched: replacing files rotates the credential, and listeners
 * hear of every change in content (proxies then get the new secret; their open connections carry on).
 */
public final class CredentialDirectory implements CredentialSource, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CredentialDirectory.class.getName());

    private final Path directory;
    private final AtomicReference<Credentials> current = new AtomicReference<>(Credentials.NONE);
    private final ListenerList listeners = new ListenerList();
    private DirectoryWatch watch;

    public CredentialDirectory(Path directory) {
        this.directory = Objects.requireNonNull(directory, "directory");
    }

    /** Reads the credentials, then again after every change under the directory until closed; it must exist. */
    public void start() throws IOException {
        watch = DirectoryWatch.start(directory, "weftd-credentials-watch", this::reload);
        reload();
    }

    @Override
    public Credentials credentials() {
        return current.get();
    }

    @Override
    public void addListener(Runnable onChange) {
        listeners.add(onChange);
    }

    /** Reads the directory now; listeners hear of it when any credential's content changed. */
    public synchronized void reload() {
        Credentials read;
        try {
            read = read();
        } catch (UncheckedIOException e) {
            LOG.warning(() -> "credentials in " + directory + " not read, keeping the last ones: " + e.getMessage());
            return;
        }
        if (!read.equals(current.getAndSet(read))) {
            LOG.info(() -> "credentials from " + directory + ": " + new TreeMap<>(read.byName()).keySet());
            listeners.fire();
        }
    }

    private Credentials read() {
        Map<String, Credential> byName = new TreeMap<>();
        try (Stream<Path> entries = Files.list(directory)) {
            // Hidden entries are the staging directories of atomic writers (Kubernetes' ..data), not credentials.
            for (Path dir : entries.filter(Files::isDirectory)
                    .filter(d -> !d.getFileName().toString().startsWith(".")).toList()) {
                Credential.fromEntries(key -> file(dir, key))
                        .ifPresent(credential -> byName.put(dir.getFileName().toString(), credential));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Credentials(byName);
    }

    /** The file of that name in the credential's directory, or null. */
    private static String file(Path dir, String name) {
        Path file = dir.resolve(name);
        try {
            return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        if (watch != null) {
            watch.close();
        }
    }
}
