package dev.weft.proxy;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * JDK 25's ahead-of-time cache for weft-proxy (JEPs 483, 514, 515): the classes one real proxy run loaded, linked and
 * profiled, mapped from one file by every later proxy, so a proxy starts faster and the class data of all proxies on
 * a machine is one shared copy instead of each proxy's own metaspace. The first proxy of a class path records its run
 * ({@code -XX:AOTMode=record}, written as it exits), the next start assembles the cache from that record
 * ({@code -XX:AOTMode=create}, a few seconds, once), and proxies from then on map it ({@code -XX:AOTCache}). Another
 * JDK or class path (a rebuild) is another cache; the files of older ones are removed.
 */
public final class ProxyAotCache {

    /** The first JDK with the one-step training ergonomics and method profiles in the cache (JEPs 514, 515). */
    public static final int FIRST_JDK = 25;
    private static final String PREFIX = "weft-proxy-";
    private static final long ASSEMBLY_TIMEOUT_SECONDS = 120;

    private final String java;
    private final String classPath;
    private final Path cache;
    private final Path record;
    private final AtomicBoolean recorderChosen = new AtomicBoolean();

    private ProxyAotCache(String java, String classPath, Path cache, Path record) {
        this.java = java;
        this.classPath = classPath;
        this.cache = cache;
        this.record = record;
    }

    /**
     * The cache of proxies run by {@code java} on {@code classPath}, in {@code dir}; empty before JDK 25, whose JVMs
     * do not know these options.
     */
    public static Optional<ProxyAotCache> in(Path dir, String java, int javaFeature, String classPath) {
        if (javaFeature < FIRST_JDK) {
            return Optional.empty();
        }
        String key = key(java, classPath);
        return Optional.of(new ProxyAotCache(java, classPath, dir.resolve(PREFIX + key + ".aot"),
                dir.resolve(PREFIX + key + ".aotconf")));
    }

    /**
     * The flags of the next proxy started: map the cache when it is made; else record this run if no proxy records
     * one yet (only one proxy records: the record is what one proxy does); else none.
     */
    public List<String> flags() {
        if (Files.isRegularFile(cache)) {
            return List.of("-XX:AOTCache=" + cache);
        }
        if (!Files.exists(record) && recorderChosen.compareAndSet(false, true)) {
            try {
                // The JVM writes the record as it exits, into a directory that must exist.
                Files.createDirectories(record.getParent());
                return List.of("-XX:AOTMode=record", "-XX:AOTConfiguration=" + record);
            } catch (IOException e) {
                return List.of();
            }
        }
        return List.of();
    }

    /**
     * Assembles the cache from a recorded run, if there is one and no cache yet, with the proxies' own JVM flags (a
     * cache maps only into a JVM with the collector and object layout it was made with). Blocks for the few seconds
     * it takes. Returns why it failed, if it did; proxies then run without it.
     */
    public Optional<String> assembleIfRecorded(List<String> jvmFlags) {
        if (Files.isRegularFile(cache) || !Files.isRegularFile(record)) {
            return Optional.empty();
        }
        try {
            Files.createDirectories(cache.getParent());
            removeOtherCaches();
            Path assembling = cache.resolveSibling(cache.getFileName() + ".tmp");
            List<String> command = new ArrayList<>(List.of(java));
            command.addAll(jvmFlags);
            command.addAll(List.of("-XX:AOTMode=create", "-XX:AOTConfiguration=" + record,
                    "-XX:AOTCache=" + assembling, "-cp", classPath));
            Process create = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(create.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!create.waitFor(ASSEMBLY_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                create.destroyForcibly();
                return Optional.of("assembling " + cache + " took over " + ASSEMBLY_TIMEOUT_SECONDS + " s");
            }
            Files.deleteIfExists(record);
            if (create.exitValue() != 0 || !Files.isRegularFile(assembling)) {
                Files.deleteIfExists(assembling);
                return Optional.of("assembling " + cache + " failed: " + output.strip());
            }
            Files.move(assembling, cache, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("assembling " + cache + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("assembling " + cache + " was interrupted");
        }
    }

    public Path file() {
        return cache;
    }

    private void removeOtherCaches() throws IOException {
        try (Stream<Path> files = Files.list(cache.getParent())) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith(PREFIX)
                    && !f.equals(cache) && !f.equals(record)).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    /** What a cache depends on: the java binary and each class path entry, by name, size and modification time. */
    private static String key(String java, String classPath) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String entry : (java + File.pathSeparator + classPath).split(File.pathSeparator)) {
                Path path = Path.of(entry);
                digest.update((entry + '\0').getBytes(StandardCharsets.UTF_8));
                if (Files.exists(path)) {
                    digest.update((Files.size(path) + "/" + Files.getLastModifiedTime(path).toMillis() + '\0')
                            .getBytes(StandardCharsets.UTF_8));
                }
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a required algorithm", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
