package dev.weft.bench;

import dev.weft.proxy.ProxyAotCache;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The ahead-of-time cache a system's command maps ({@code -XX:AOTCache=FILE}), made as {@code weft up} makes it
 * ({@link ProxyAotCache}): the priming start records what one proxy does, then the cache is assembled before the
 * first measured start.
 */
final class AotTraining {

    private static final String CACHE_FLAG = "-XX:AOTCache=";

    private AotTraining() {
    }

    /** {@code system} mapping the cache {@code weft up} would make for this JVM and class path, in {@code dir}. */
    static SystemSpec cached(String name, String description, String java, String proxyClasspath, Path dir,
            List<String> jvmFlags) {
        ProxyAotCache cache = cache(java, proxyClasspath, dir).orElseThrow(() -> new IllegalArgumentException(
                name + " needs JDK " + ProxyAotCache.FIRST_JDK + " or later"));
        List<String> flags = new ArrayList<>(jvmFlags);
        flags.add(CACHE_FLAG + cache.file());
        return Systems.weft(name, description, java, proxyClasspath, flags);
    }

    /** The system as its priming start runs: recording instead of mapping, while there is no cache yet. */
    static SystemSpec recording(SystemSpec system) {
        Optional<ProxyAotCache> cache = cacheOf(system);
        if (cache.isEmpty()) {
            return system;
        }
        List<String> command = new ArrayList<>();
        for (String arg : system.command()) {
            if (arg.startsWith(CACHE_FLAG)) {
                command.addAll(cache.get().flags());
            } else {
                command.add(arg);
            }
        }
        return system.withCommand(command);
    }

    /** Assembles the cache the priming start recorded; a failure stops the run, which would measure no cache. */
    static void assemble(SystemSpec system) {
        cacheOf(system).ifPresent(cache -> cache.assembleIfRecorded(jvmFlags(system)).ifPresent(failure -> {
            throw new IllegalStateException(system.name() + ": " + failure);
        }));
    }

    private static Optional<ProxyAotCache> cacheOf(SystemSpec system) {
        List<String> command = system.command();
        return command.stream().filter(arg -> arg.startsWith(CACHE_FLAG)).findFirst()
                .flatMap(flag -> cache(command.getFirst(), command.get(command.indexOf("-cp") + 1),
                        Path.of(flag.substring(CACHE_FLAG.length())).getParent()));
    }

    private static Optional<ProxyAotCache> cache(String java, String proxyClasspath, Path dir) {
        return ProxyAotCache.in(dir, java, Runtime.version().feature(), proxyClasspath);
    }

    /** The JVM options the cache is made with: the ones before the class path, the cache's own left out. */
    private static List<String> jvmFlags(SystemSpec system) {
        List<String> command = system.command();
        return command.subList(1, command.indexOf("-cp")).stream().filter(arg -> !arg.startsWith(CACHE_FLAG))
                .toList();
    }
}
