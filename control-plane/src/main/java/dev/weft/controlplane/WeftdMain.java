package dev.weft.controlplane;

import dev.weft.api.config.IstioDuration;
import dev.weft.controlplane.config.MeshConfigFile;
import dev.weft.model.load.MeshConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * {@code weftd --config-dir DIR [--data-dir DIR] [--proxy-tokens FILE] [--bind 127.0.0.1] --xds-port N --http-port N
 * [--quiet-period-ms N] [--max-delay-ms N] [--trust-domain DOMAIN] [--workload-cert-ttl 24h] [--cacerts DIR]
 * [--mesh-config FILE] [--xds-san NAME]... [--xds-plaintext] [--credentials-dir DIR]}. Prints the bound ports
 * (useful with 0) and runs until the process is stopped.
 */
public final class WeftdMain {

    private WeftdMain() {
    }

    public static void main(String[] args) throws Exception {
        WeftdOptions options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("weftd: " + e.getMessage());
            System.err.println("usage: weftd [--config-dir DIR] [--data-dir DIR] [--proxy-tokens FILE] [--bind ADDRESS]"
                    + " [--xds-port N] [--http-port N] [--quiet-period-ms N] [--max-delay-ms N] [--trust-domain DOMAIN]"
                    + " [--workload-cert-ttl 24h] [--cacerts DIR] [--mesh-config FILE] [--xds-san NAME]..."
                    + " [--xds-plaintext] [--credentials-dir DIR]");
            System.exit(2);
            return;
        }
        run(options);
    }

    /** Starts weftd, prints its bound ports and runs until the process is stopped (a platform's main calls it too). */
    public static void run(WeftdOptions options) throws Exception {
        Weftd weftd = Weftd.start(options);
        System.out.println("weftd xds-port=" + weftd.xdsPort() + " http-port=" + weftd.httpPort());
        System.out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                weftd.close();
            } catch (Exception e) {
                System.err.println("weftd: shutdown: " + e.getMessage());
            }
            stopped.countDown();
        }));
        stopped.await();
    }

    /** weftd's options from its command line; an {@link IllegalArgumentException} names what is wrong. */
    public static WeftdOptions parse(String[] args) {
        WeftdOptions options = WeftdOptions.defaults();
        Duration quiet = options.quietPeriod();
        Duration max = options.maxDelay();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--xds-plaintext")) {
                options = options.withPlaintextXds();
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String value = args[++i];
            switch (flag) {
                case "--config-dir" -> {
                    Path dir = Path.of(value);
                    if (!Files.isDirectory(dir)) {
                        throw new IllegalArgumentException("--config-dir " + value + " is not a directory");
                    }
                    options = options.withConfigDir(dir);
                }
                case "--data-dir" -> options = options.withDataDir(Path.of(value));
                case "--proxy-tokens" -> options = options.withProxyTokens(Path.of(value));
                case "--bind" -> options = options.withBindAddress(value);
                case "--xds-port" -> options = options.withPorts(port(flag, value), options.httpPort());
                case "--http-port" -> options = options.withPorts(options.xdsPort(), port(flag, value));
                case "--quiet-period-ms" -> quiet = Duration.ofMillis(number(flag, value));
                case "--max-delay-ms" -> max = Duration.ofMillis(number(flag, value));
                case "--trust-domain" -> options = options.withCa(options.ca().withTrustDomain(value));
                case "--workload-cert-ttl" -> options = options.withCa(options.ca().withWorkloadCertTtl(
                        duration(flag, value)));
                case "--cacerts" -> options = options.withCa(options.ca().withCacerts(Path.of(value)));
                case "--mesh-config" -> {
                    // Checked here too, so a bad file is one message on the command line, not a stack trace.
                    MeshConfigFile.read(Path.of(value), new MeshConfigLoader());
                    options = options.withMeshConfig(Path.of(value));
                }
                case "--xds-san" -> options = options.withCa(options.ca().withServingName(value));
                case "--credentials-dir" -> options = options.withCredentialsDir(Path.of(value));
                default -> throw new IllegalArgumentException("unknown option " + flag);
            }
        }
        return options.withDebounce(quiet, max);
    }

    /** A duration as Istio's flags write it: "24h", "90m", "1h30m", "45s". */
    static Duration duration(String flag, String value) {
        return IstioDuration.parse(flag, value);
    }

    private static int port(String flag, String value) {
        int port = number(flag, value);
        if (port > 65535) {
            throw new IllegalArgumentException(flag + " " + value + " is not a port (0-65535)");
        }
        return port;
    }

    private static int number(String flag, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n < 0) {
                throw new IllegalArgumentException(flag + " " + value + " must not be negative");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " " + value + " is not a number");
        }
    }
}
