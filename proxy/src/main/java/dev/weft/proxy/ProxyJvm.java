package dev.weft.proxy;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

/**
 * How a weft-proxy JVM is started, defined once: {@code weft up}, the benchmark harness and the container image
 * use these flags and this class path, so what a user runs is what was measured (bench/RESULTS.md has the figures
 * behind each flag).
 */
public final class ProxyJvm {

    /** Heap cap of a sidecar: the live set of a Bookinfo sidecar is about 20 MB. */
    public static final String DEFAULT_MAX_HEAP = "64m";
    /** The first JDK with compact object headers as a product flag (JEP 519). */
    private static final int COMPACT_HEADERS = 25;
    /** The first JDK with {@code TrimNativeHeapInterval} as a product flag. */
    private static final int NATIVE_HEAP_TRIM = 22;
    /** The first JDK that knows {@code --sun-misc-unsafe-memory-access} (JEP 471); older ones refuse to start with it. */
    private static final int UNSAFE_MEMORY_ACCESS_OPTION = 23;

    private ProxyJvm() {
    }

    /**
     * The JVM flags of a proxy on a JDK of feature release {@code javaFeature}: the serial collector on a small heap
     * (one event loop per core needs no concurrent collector, and a heap sized to its live set is most of the RSS
     * saved) that gives memory back after a collection leaves it mostly free (the proxy collects once when ready),
     * small thread stacks and code cache, C2 without C1's tiers, the class data archive shared between proxies, the
     * native heap trimmed every 5 s (the JIT's freed arenas otherwise stay resident: 8 to 18 MB of RSS), and Netty's
     * Unsafe and native access allowed without warnings.
     */
    public static List<String> flags(int javaFeature, String maxHeap) {
        List<String> flags = new ArrayList<>(List.of("-XX:+UseSerialGC", "-Xms8m", "-Xmx" + maxHeap,
                "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30", "-Xss256k",
                "-XX:ReservedCodeCacheSize=32m", "-XX:MaxMetaspaceSize=96m"));
        // The class data archive (the JDK's, or the AOT cache) mapped where it was made instead of at a random
        // address: relocating it writes to every page, so each proxy held a private copy (42 of the AOT cache's 53 MB)
        // instead of sharing its read-only half with every other proxy on the machine.
        flags.addAll(List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0"));
        // C2 alone, without C1's tiers: a proxy runs one hot path, and the tiers' profiled C1 code, their compiler
        // thread and their recompilations cost memory (code cache 9.7 -> 3.8 MB at 1,000 rps) and, on the one or two
        // cores a sidecar gets, the CPU it serves with (0.26 -> 0.16 cores in the first seconds at 1,000 rps).
        flags.add("-XX:-TieredCompilation");
        if (javaFeature >= NATIVE_HEAP_TRIM) {
            flags.add("-XX:TrimNativeHeapInterval=5000");
        }
        if (javaFeature >= COMPACT_HEADERS) {
            flags.add("-XX:+UseCompactObjectHeaders");
        }
        flags.addAll(libraryAccess(javaFeature));
        return List.copyOf(flags);
    }

    /**
     * What Netty and gRPC need the JDK to allow, so a JVM running them logs no warnings: native access (Netty's
     * transports and BoringSSL are restricted methods) and {@code sun.misc.Unsafe} memory access, which JDK 24 and
     * later warn of at every start unless allowed (an option JDKs before 23 refuse).
     */
    public static List<String> libraryAccess(int javaFeature) {
        return javaFeature >= UNSAFE_MEMORY_ACCESS_OPTION
                ? List.of("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow")
                : List.of("--enable-native-access=ALL-UNNAMED");
    }

    /**
     * The manifest attribute of the proxy's jar that names the runtime dependencies it needs besides itself, as jar
     * file names separated by {@code :}. It is not {@code Class-Path}, which the JVM would follow on its own: the
     * launcher's class path holds Envoy's API jar, whose reachable classes the proxy's jar carries.
     */
    public static final String RUNTIME_DEPENDENCIES = "Weft-Runtime-Dependencies";

    /**
     * The entries of {@code classPath} the proxy needs: its own jar and the runtime dependencies its manifest names
     * ({@link #RUNTIME_DEPENDENCIES}). A launcher whose class path holds more (the CLI's has the Kubernetes client,
     * Envoy's whole API, the sample apps, weftd) starts the proxy without them: every jar the class loader opens keeps
     * its directory on the heap. When this class was not loaded from a jar (a build's classes directory), the class
     * path is returned as it is.
     */
    public static String classPath(String classPath) {
        return ownJar().map(jar -> classPath(classPath, jar)).orElse(classPath);
    }

    /**
     * {@link #classPath(String)} for the proxy jar {@code proxyJar}; all of it when the jar lists no dependencies.
     * Jars match by artifact, not version: the launcher's build may have settled on another version of a library
     * (the proxy then runs on the launcher's, as it would in one JVM).
     */
    static String classPath(String classPath, Path proxyJar) {
        return jarNames(proxyJar).map(needed -> Arrays.stream(classPath.split(File.pathSeparator))
                .filter(entry -> !entry.isEmpty()
                        && needed.contains(artifact(Path.of(entry).getFileName().toString())))
                .collect(Collectors.joining(File.pathSeparator))).orElse(classPath);
    }

    /** A jar's artifact from its Maven file name: what comes before the version ({@code guava-32.0.1-jre.jar}). */
    static String artifact(String fileName) {
        for (int i = 0; i + 1 < fileName.length(); i++) {
            if (fileName.charAt(i) == '-' && Character.isDigit(fileName.charAt(i + 1))) {
                return fileName.substring(0, i);
            }
        }
        return fileName;
    }

    private static Optional<Path> ownJar() {
        try {
            Path location = Path.of(ProxyJvm.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isRegularFile(location) ? Optional.of(location.toAbsolutePath()) : Optional.empty();
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            return Optional.empty();
        }
    }

    /** The artifacts of the proxy's jar and of the dependencies its manifest lists, if it lists them. */
    private static Optional<Set<String>> jarNames(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            String names = file.getManifest() == null ? null
                    : file.getManifest().getMainAttributes().getValue(RUNTIME_DEPENDENCIES);
            if (names == null) {
                return Optional.empty();
            }
            Set<String> all = new HashSet<>();
            for (String name : names.strip().split(":")) {
                all.add(artifact(Path.of(name).getFileName().toString()));
            }
            all.add(artifact(jar.getFileName().toString()));
            return Optional.of(Set.copyOf(all));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the manifest of " + jar, e);
        }
    }
}
