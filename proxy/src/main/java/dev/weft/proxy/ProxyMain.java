package dev.weft.proxy;

import dev.weft.proxy.agent.AgentPaths;
import dev.weft.proxy.agent.ReadinessWait;
import dev.weft.proxy.agent.SidecarAgent;
import dev.weft.proxy.bootstrap.BootstrapLoader;
import dev.weft.proxy.bootstrap.BootstrapResult;
import dev.weft.proxy.capture.CaptureCommand;
import dev.weft.proxy.config.ConfigException;
import dev.weft.proxy.identity.WorkloadIdentity;
import dev.weft.proxy.server.ProxyOptions;
import dev.weft.proxy.server.ProxyServer;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;

/**
 * {@code weft-proxy --bootstrap FILE}: runs the proxy from an Envoy v3 bootstrap until it is stopped (signal or
 * the admin's /quitquitquit); {@code weft-proxy sidecar|router} does so as an injected pod's agent,
 * {@code weft-proxy wait} waits for a proxy to be ready and {@code weft-proxy istio-iptables} sets up the pod's
 * capture: the image's one command, as Istio's pilot-agent. Logs go to stderr. The CLI calls {@link #run} for
 * {@code weft proxy}.
 */
public final class ProxyMain {

    private ProxyMain() {
    }

    public static void main(String[] args) {
        ProxyProcessDefaults.apply();
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Formats one log record now, while descriptors are free: the formatter's first use loads time-zone data from a
     * file, and when that first use comes with the descriptors exhausted it fails on the event loop that logs.
     */
    private static void warmUpLogFormatting() {
        new SimpleFormatter().format(new LogRecord(Level.INFO, "warm-up"));
    }

    /**
     * Runs {@code weft-proxy}: from a bootstrap ({@code --bootstrap FILE}), or as a pod's agent ({@code sidecar},
     * {@code router}; Istio's {@code pilot-agent proxy ...}), or waits for a proxy to be ready ({@code wait}), or
     * captures the pod's traffic ({@code istio-iptables}). Blocks while the proxy runs. Returns the process exit code:
     * 0 stopped, 1 bad config, 2 usage.
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        String[] rest = args.length > 1 && args[0].equals("proxy") ? Arrays.copyOfRange(args, 1, args.length) : args;
        if (rest.length > 0) {
            switch (rest[0]) {
                case "sidecar", "router" -> {
                    return runAgent(rest[0], Arrays.copyOfRange(rest, 1, rest.length), System.getenv(), out, err);
                }
                case "wait" -> {
                    return ReadinessWait.run(Arrays.copyOfRange(rest, 1, rest.length), out, err);
                }
                case "istio-iptables" -> {
                    return CaptureCommand.PROXY.run(Arrays.copyOfRange(rest, 1, rest.length), out, err);
                }
                default -> {
                }
            }
        }
        return runBootstrap(args, out, err);
    }

    /**
     * {@code weft-proxy sidecar|router [--status-port N]}: the pod agent, reading {@code env} and the pod's files
     * where Istio's injector mounts them.
     */
    static int runAgent(String type, String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Map<String, String> podEnv = new HashMap<>(env);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "-h", "--help" -> {
                    out.println("usage: weft-proxy " + type + " [--status-port N]\n\n" + AGENT_HELP);
                    return 0;
                }
                case "--status-port", "--statusPort" -> {
                    if (i + 1 >= args.length) {
                        err.println("weft-proxy: " + args[i] + " needs a port (0: none)");
                        return 2;
                    }
                    podEnv.put("STATUS_PORT", args[++i]);
                }
                default -> {
                    err.println("weft-proxy " + type + ": unknown argument " + args[i] + " (try --help)");
                    return 2;
                }
            }
        }
        warmUpLogFormatting();
        SidecarAgent agent;
        try {
            agent = SidecarAgent.start(type, podEnv, AgentPaths.POD);
        } catch (IllegalArgumentException | UncheckedIOException | ConfigException e) {
            err.println("weft-proxy " + type + ": " + e.getMessage());
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(agent::close, "weft-proxy-shutdown"));
        err.println("weft-proxy " + type + ": started " + agent.pod().nodeId() + " (bootstrap "
                + agent.bootstrapFile() + ", admin on " + agent.proxy().adminAddress()
                + (agent.statusPort() > 0 ? ", status on " + agent.statusPort() : "") + ")");
        try {
            serveUntilStopped(agent.proxy());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        agent.close();
        return 0;
    }

    private static final String AGENT_HELP = "Runs the proxy of an injected pod, as Istio's pilot-agent does beside"
            + " Envoy: reads the pod's environment (POD_NAME, POD_NAMESPACE, INSTANCE_IP, SERVICE_ACCOUNT,"
            + " PROXY_CONFIG, ISTIO_META_*, CA_ADDR, TRUST_DOMAIN, ISTIO_KUBE_APP_PROBERS,"
            + " ISTIO_PROMETHEUS_ANNOTATIONS) and files (/etc/istio/pod, /var/run/secrets/tokens/istio-token, /var/run/secrets/istio/root-cert.pem), writes"
            + " /etc/istio/proxy/envoy-rev.json and runs it: ADS and the CA over TLS with the pod's token, admin on"
            + " 127.0.0.1:15000, /healthz/ready on 15021, /stats/prometheus on 15090, and the status port 15020 (app"
            + " probes, metrics merged with the app's).";

    private static int runBootstrap(String[] args, PrintStream out, PrintStream err) {
        Path bootstrapFile = null;
        String caAddress = null;
        Path caTokenFile = null;
        String identity = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--ca-address", "--ca-token-file", "--identity" -> {
                    if (i + 1 >= args.length) {
                        err.println("weft-proxy: " + args[i] + " needs a value");
                        return 2;
                    }
                    String value = args[++i];
                    switch (args[i - 1]) {
                        case "--ca-address" -> caAddress = value;
                        case "--ca-token-file" -> caTokenFile = Path.of(value);
                        default -> identity = value;
                    }
                }
                case "--bootstrap", "-c", "--config-path" -> {
                    if (i + 1 >= args.length) {
                        err.println("weft-proxy: " + args[i] + " needs a file");
                        return 2;
                    }
                    bootstrapFile = Path.of(args[++i]);
                }
                case "-h", "--help" -> {
                    out.println("""
                            usage: weft-proxy --bootstrap FILE [--ca-address HOST:PORT --ca-token-file FILE \
                                     --identity SPIFFE_ID]
                                   weft-proxy sidecar|router [--status-port N]
                                   weft-proxy wait [--timeoutSeconds 60] [--periodMillis 500] \
                                     [--requestTimeoutMillis 500] [--url URL]
                                   weft-proxy istio-iptables [--apply] [OPTIONS]

                            --bootstrap: runs the data plane from an Envoy v3 bootstrap (YAML or JSON): static \
                            listeners and clusters, admin, and an ADS source (over TLS when its cluster has an \
                            UpstreamTlsContext). With a CA, reached over the same transport, it keeps a workload \
                            certificate for the identity as the SDS secrets default and ROOTCA.

                            sidecar, router (a gateway): %s

                            wait: waits until the proxy is ready (Istio's pilot-agent wait), for a postStart hook.

                            istio-iptables: prints or (--apply, as root) installs the rules that redirect the pod's                             TCP traffic to its proxy (Istio's pilot-agent istio-iptables), for the istio-init                             container; --help lists its options."""
                            .formatted(AGENT_HELP));
                    return 0;
                }
                default -> {
                    err.println("weft-proxy: unknown argument " + args[i] + " (try --help)");
                    return 2;
                }
            }
        }
        if (bootstrapFile == null) {
            err.println("weft-proxy: --bootstrap FILE is required");
            return 2;
        }
        if ((caAddress == null) != (identity == null) || (caAddress == null) != (caTokenFile == null)) {
            err.println("weft-proxy: --ca-address, --ca-token-file and --identity go together");
            return 2;
        }
        BootstrapResult result = new BootstrapLoader().load(bootstrapFile);
        if (result instanceof BootstrapResult.Invalid invalid) {
            err.println("weft-proxy: " + invalid.message());
            return 1;
        }
        warmUpLogFormatting();
        ProxyServer server;
        try {
            ProxyOptions options = ProxyOptions.defaults();
            if (caAddress != null) {
                options = options.withIdentity(new WorkloadIdentity(caAddress, caTokenFile, identity,
                        WorkloadIdentity.ttl(System.getenv("SECRET_TTL"))));
            }
            server = ProxyServer.start(((BootstrapResult.Valid) result).bootstrap(), options);
        } catch (ConfigException | IllegalArgumentException e) {
            err.println("weft-proxy: " + e.getMessage());
            return 1;
        }
        if (!server.configErrors().isEmpty()) {
            server.configErrors().forEach(e -> err.println("weft-proxy: rejected " + e));
            server.close();
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "weft-proxy-shutdown"));
        server.snapshot().clusters().keySet().stream().sorted()
                .forEach(c -> err.println("weft-proxy: cluster " + c));
        err.println("weft-proxy: started" + (server.adminPort() > 0 ? ", admin on " + server.adminAddress() : ""));
        try {
            serveUntilStopped(server);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.close();
        }
        return 0;
    }

    /**
     * Blocks until the proxy stops, collecting the heap in full once when it is first ready: start-up (bootstrap and
     * first xDS parsing, TLS set-up) leaves the old generation full of garbage that an idle proxy would otherwise
     * keep committed for good; collected, the heap shrinks to its live set ({@link ProxyJvm}'s MaxHeapFreeRatio).
     */
    static void serveUntilStopped(ProxyServer server) throws InterruptedException {
        while (!server.readiness().ready()) {
            if (server.awaitTermination(READY_POLL)) {
                return;
            }
        }
        System.gc();
        server.awaitTermination();
    }

    /** How often a starting proxy checks whether it is ready. */
    private static final Duration READY_POLL = Duration.ofMillis(200);
}
