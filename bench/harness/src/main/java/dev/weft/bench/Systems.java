package dev.weft.bench;

import java.util.ArrayList;
import java.util.List;

/** The systems compared, each configured for the same job from its template in bench/configs. */
final class Systems {

    /**
     * weft-proxy JVM flags aimed at sidecar RSS: a small serial-collected heap, compact object headers (JDK 25),
     * small thread stacks and code cache, and an application CDS archive made on first start.
     */
    static final List<String> SMALL_FOOTPRINT_FLAGS = List.of("-XX:+UseSerialGC", "-Xms8m", "-Xmx64m",
            "-XX:+UseCompactObjectHeaders", "-Xss256k", "-XX:ReservedCodeCacheSize=32m",
            "-XX:MaxMetaspaceSize=96m", "-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=${workdir}/weft-proxy.jsa");

    private Systems() {
    }

    static List<SystemSpec> all(String java, String proxyClasspath) {
        return List.of(
                SystemSpec.direct(),
                weft("weft-proxy", "weft-proxy, JDK defaults", java, proxyClasspath, List.of()),
                weft("weft-proxy-small", "weft-proxy, small-footprint JVM flags", java, proxyClasspath,
                        SMALL_FOOTPRINT_FLAGS),
                new SystemSpec("nginx", "nginx reverse proxy (1 worker, upstream keepalive pool)", "nginx-proxy.conf",
                        List.of("nginx", "-p", "${workdir}", "-e", "${workdir}/nginx-proxy.error.log", "-c",
                                "${config}")),
                new SystemSpec("haproxy", "HAProxy (1 thread, http-reuse always)", "haproxy.cfg",
                        List.of("haproxy", "-db", "-f", "${config}")));
    }

    static SystemSpec weft(String name, String description, String java, String proxyClasspath,
            List<String> jvmFlags) {
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(jvmFlags);
        command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-cp", proxyClasspath,
                "dev.weft.proxy.ProxyMain", "--bootstrap", "${config}"));
        return new SystemSpec(name, description, "weft-proxy.yaml", command);
    }
}
