package dev.weft.proxy;

import dev.weft.api.config.IstioDuration;
import dev.weft.proxy.bootstrap.BootstrapLoader;
import dev.weft.proxy.bootstrap.BootstrapResult;
import dev.weft.proxy.config.ConfigException;
import dev.weft.proxy.identity.WorkloadIdentity;
import dev.weft.proxy.server.ProxyOptions;
import dev.weft.proxy.server.ProxyServer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;

/**
 * {@code weft-proxy --bootstrap FILE}: runs the proxy from an Envoy v3 bootstrap until it is stopped (signal or
 * the admin's /quitquitquit). Logs go to stderr. The CLI calls {@link #run} for {@code weft proxy}.
 */
public final class ProxyMain {

    private ProxyMain() {
    }

    public static void main(String[] args) {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "[%1$tFT%1$tT.%1$tLZ] [%4$s] %3$s: %5$s%6$s%n");
        }
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Formats one log record now, while descriptors are free: the formatter's first use loads time-zone data from a
     * file, and when that first use comes with the descriptors exhausted it fails on the event loop that logs.
     */
    private static void warmUpLogFormatting() {
        new SimpleFormatter().format(new LogRecord(Level.INFO, "warm-up"));
    }

    /** Runs the proxy and blocks until it stops. Returns the process exit code: 0 stopped, 1 bad config, 2 usage. */
    /** The validity to ask the CA for, as the Istio agent reads it (default 24h). */
    static final String SECRET_TTL_ENV = "SECRET_TTL";

    static java.time.Duration certificateTtl(String secretTtl) {
        return secretTtl == null || secretTtl.isBlank() ? WorkloadIdentity.DEFAULT_TTL
                : IstioDuration.parse(SECRET_TTL_ENV, secretTtl.strip());
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
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
                    out.println("usage: weft-proxy --bootstrap FILE [--ca-address HOST:PORT --ca-token-file FILE"
                            + " --identity SPIFFE_ID]\n\nRuns the data plane from an Envoy v3 bootstrap (YAML or JSON):"
                            + " static listeners and clusters, admin, and an ADS source (over TLS when its cluster has an"
                            + " UpstreamTlsContext). With a CA, reached over the same transport, it keeps a workload"
                            + " certificate for the identity as the SDS secrets default and ROOTCA.");
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
                        certificateTtl(System.getenv(SECRET_TTL_ENV))));
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
            server.awaitTermination();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.close();
        }
        return 0;
    }
}
