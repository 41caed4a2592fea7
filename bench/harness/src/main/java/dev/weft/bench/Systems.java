package dev.weft.bench;

import dev.weft.proxy.ProxyAotCache;
import dev.weft.proxy.ProxyJvm;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The systems compared, each configured for the same job from its template in bench/configs. */
final class Systems {

    /**
     * Lets Netty use sun.misc.Unsafe for direct buffers on JDK 24+, which otherwise disables it: a profile showed
     * every buffer copy going through a fresh DirectByteBuffer duplicate without it.
     */
    static final String NETTY_UNSAFE = "--sun-misc-unsafe-memory-access=allow";

    /**
     * weft-proxy's JVM flags as {@code weft up} and the image start it ({@link ProxyJvm}), for the JDK the harness
     * runs on (the proxies run on the same one, {@code --proxy-java}).
     */
    static final List<String> TUNED_FLAGS = ProxyJvm.flags(Runtime.version().feature(), ProxyJvm.DEFAULT_MAX_HEAP);

    /** An application CDS archive written on the first start (the harness starts every system once before round 1). */
    static final List<String> APP_CDS = List.of("-XX:+AutoCreateSharedArchive",
            "-XX:SharedArchiveFile=${workdir}/weft-proxy.jsa");

    private Systems() {
    }

    /** The side-by-side comparison a plain run does. */
    static List<SystemSpec> comparison(String java, String proxyClasspath) {
        return List.of(
                SystemSpec.direct(),
                weft("weft-proxy", "weft-proxy, JDK defaults", java, proxyClasspath, List.of()),
                weft("weft-proxy-tuned", "weft-proxy, tuned JVM flags", java, proxyClasspath, TUNED_FLAGS),
                new SystemSpec("nginx", "nginx reverse proxy (1 worker, upstream keepalive pool)", "nginx-proxy.conf",
                        List.of("nginx", "-p", "${workdir}", "-e", "${workdir}/${instance}.error.log", "-c",
                                "${config}"),
                        new SystemSpec.SidecarTemplates("nginx-mtls-outbound.conf", "nginx-mtls-inbound.conf")),
                new SystemSpec("haproxy", "HAProxy (1 thread, http-reuse always)", "haproxy.cfg",
                        List.of("haproxy", "-db", "-f", "${config}"),
                        new SystemSpec.SidecarTemplates("haproxy-mtls-outbound.cfg", "haproxy-mtls-inbound.cfg")));
    }

    /**
     * weft-proxy with the footprint flags added one at a time (each step keeps the ones before), plus ZGC,
     * Netty-Unsafe-only, tuned-plus-CDS and tuned-plus-C1-only variants: select them with {@code --systems} to see
     * what each flag buys.
     */
    static List<SystemSpec> jvmFlagSteps(String java, String proxyClasspath) {
        List<List<String>> steps = List.of(
                List.of("-XX:+UseSerialGC"),
                List.of("-Xms8m", "-Xmx64m"),
                List.of("-XX:+UseCompactObjectHeaders"),
                List.of("-Xss256k", "-XX:ReservedCodeCacheSize=32m", "-XX:MaxMetaspaceSize=96m"));
        List<String> names = List.of("weft-jvm-serial", "weft-jvm-heap64", "weft-jvm-coh", "weft-jvm-stacks");
        List<SystemSpec> specs = new ArrayList<>();
        List<String> flags = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            flags.addAll(steps.get(i));
            specs.add(weft(names.get(i), "weft-proxy with " + String.join(" ", flags), java, proxyClasspath, flags));
        }
        List<String> zgc = new ArrayList<>(List.of("-XX:+UseZGC", "-Xms8m", "-Xmx64m", "-XX:+UseCompactObjectHeaders"));
        specs.add(weft("weft-jvm-zgc", "weft-proxy with " + String.join(" ", zgc), java, proxyClasspath, zgc));
        specs.add(weft("weft-jvm-unsafe", "weft-proxy with " + NETTY_UNSAFE, java, proxyClasspath,
                List.of(NETTY_UNSAFE)));
        List<String> cds = new ArrayList<>(TUNED_FLAGS);
        cds.addAll(APP_CDS);
        specs.add(weft("weft-jvm-cds", "weft-proxy, tuned flags and an application CDS archive", java, proxyClasspath,
                cds));
        List<String> c1 = new ArrayList<>(TUNED_FLAGS);
        c1.remove("-XX:-TieredCompilation");
        c1.add("-XX:TieredStopAtLevel=1");
        specs.add(weft("weft-jvm-c1", "weft-proxy, tuned flags and C1 only", java, proxyClasspath, c1));

        return List.copyOf(specs);
    }

    /** Istio's stats filter as weftd sends it to a client-side proxy. */
    private static final String ISTIO_STATS = """
                      - name: istio.stats
                        typed_config:
                          "@type": type.googleapis.com/xds.type.v3.TypedStruct
                          type_url: type.googleapis.com/stats.PluginConfig
                          value: { reporter: source }
            """;

    /** Zipkin tracing at {@code %s} percent, its spans posted to the upstream (which answers them with 405). */
    private static final String ZIPKIN = """
                      tracing:
                        random_sampling: { value: %s }
                        provider:
                          name: envoy.tracers.zipkin
                          typed_config:
                            "@type": type.googleapis.com/envoy.config.trace.v3.ZipkinConfig
                            collector_cluster: bench_upstream
                            collector_endpoint: /api/v2/spans
                            collector_endpoint_version: HTTP_JSON
                            trace_id_128bit: true
            """;

    /** Envoy's file access log with its default format, a line per request. */
    private static final String ACCESS_LOG = """
                      access_log:
                      - name: envoy.access_loggers.file
                        typed_config:
                          "@type": type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog
                          path: ${workdir}/${instance}.access.log
            """;

    /**
     * The tuned weft-proxy on its one-hop HTTP/1.1 job with Istio's telemetry off, then each part on alone (metrics;
     * tracing at 1 % and at 100 %; the access log), then all of them as Istio's demo profile has them: select them
     * with {@code --systems} and an http1 scenario to see what each costs against all off.
     */
    static List<SystemSpec> observability(String java, String proxyClasspath) {
        SystemSpec tuned = weft("weft-proxy-tuned", "", java, proxyClasspath, TUNED_FLAGS);
        return List.of(
                observed(tuned, "weft-obs-off", "telemetry off", "", ""),
                observed(tuned, "weft-obs-metrics", "Istio's metrics", ISTIO_STATS, ""),
                observed(tuned, "weft-obs-trace1", "Zipkin tracing, 1 % sampled", "", ZIPKIN.formatted(1)),
                observed(tuned, "weft-obs-trace100", "Zipkin tracing, 100 % sampled", "", ZIPKIN.formatted(100)),
                observed(tuned, "weft-obs-accesslog", "file access log", "", ACCESS_LOG),
                observed(tuned, "weft-obs-all", "metrics, tracing at 1 % and the access log", ISTIO_STATS,
                        ZIPKIN.formatted(1) + ACCESS_LOG));
    }

    private static SystemSpec observed(SystemSpec tuned, String name, String what, String filters, String hcm) {
        return tuned.withTemplate(name, "weft-proxy, tuned JVM flags, " + what, "weft-proxy-observed.yaml",
                Map.of("observed_filters", filters.stripTrailing(), "observed_hcm", hcm.stripTrailing()));
    }

    /**
     * The tuned weft-proxy on the JDK's TLS engine instead of its default, BoringSSL through netty-tcnative: select it
     * beside weft-proxy-tuned with an mtls scenario to see what the engine costs.
     */
    static List<SystemSpec> tlsEngines(String java, String proxyClasspath) {
        List<String> jdk = new ArrayList<>(TUNED_FLAGS);
        jdk.add("-Dweft.tls.engine=jdk");
        return List.of(weft("weft-tls-jdk", "weft-proxy, tuned JVM flags, the JDK's TLS engine", java, proxyClasspath,
                jdk));
    }

    /** Every system a run can select by name. */
    static List<SystemSpec> known(String java, String proxyClasspath, Path workDir) {
        List<SystemSpec> all = new ArrayList<>(comparison(java, proxyClasspath));
        if (Runtime.version().feature() >= ProxyAotCache.FIRST_JDK) {
            all.add(AotTraining.cached("weft-proxy-aot", "weft-proxy, tuned JVM flags and the ahead-of-time cache"
                    + " weft up makes", java, proxyClasspath, workDir.resolve("aot"), TUNED_FLAGS));
        }
        all.addAll(jvmFlagSteps(java, proxyClasspath));
        all.addAll(observability(java, proxyClasspath));
        all.addAll(tlsEngines(java, proxyClasspath));
        return List.copyOf(all);
    }

    /**
     * Adds {@code weft-proxy-before}: another build of weft-proxy ({@code --baseline-proxy-classpath}, built from
     * {@code --baseline-commit}) with the JVM flags it ran with then ({@code --baseline-flags}), so a change is
     * measured against what it replaced in one run, the systems taking turns. With {@code --baseline-aot-dir DIR} it
     * maps an AOT cache made in DIR as {@code weft-proxy-aot} maps its own, to weigh a flag against that system.
     */
    static List<SystemSpec> withBaseline(List<SystemSpec> systems, String java, Map<String, String> options) {
        if (!options.containsKey("baseline-proxy-classpath")) {
            return systems;
        }
        List<String> flags = Arrays.stream(options.getOrDefault("baseline-flags", "").split(" "))
                .filter(f -> !f.isBlank()).toList();
        List<SystemSpec> all = new ArrayList<>(systems);
        String name = "weft-proxy-before";
        String description = "weft-proxy at " + options.getOrDefault("baseline-commit", "the baseline")
                + ", with its JVM flags then";
        String classpath = options.get("baseline-proxy-classpath");
        String aotDir = options.get("baseline-aot-dir");
        all.add(aotDir == null ? weft(name, description, java, classpath, flags)
                : AotTraining.cached(name, description + " and an AOT cache", java, classpath, Path.of(aotDir), flags));
        return List.copyOf(all);
    }

    static SystemSpec weft(String name, String description, String java, String proxyClasspath,
            List<String> jvmFlags) {
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(jvmFlags);
        command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-cp", proxyClasspath,
                "dev.weft.proxy.ProxyMain", "--bootstrap", "${config}"));
        return new SystemSpec(name, description, "weft-proxy.yaml", command,
                new SystemSpec.SidecarTemplates("weft-proxy-mtls-outbound.yaml", "weft-proxy-mtls-inbound.yaml",
                        List.of("--ca-address", "${ca_address}", "--ca-token-file", "${ca_token}", "--identity",
                                "${identity}")));
    }
}
