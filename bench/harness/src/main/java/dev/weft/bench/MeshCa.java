package dev.weft.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * weftd's CA for weft-proxy's mutual-TLS sidecars, as in the mesh: a weftd process with a data directory, a workload
 * token for each sidecar's SPIFFE ID, and the template values that start each sidecar as its own agent
 * ({@code --ca-address}, {@code --ca-token-file}, {@code --identity}), so its certificate is issued by weftd from its
 * own key and reaches its TLS contexts over SDS ({@code default}, {@code ROOTCA}).
 */
final class MeshCa implements AutoCloseable {

    private static final Pattern PORTS = Pattern.compile("weftd xds-port=(\\d+) http-port=(\\d+)");

    private final ProxyProcess weftd;
    private final int xdsPort;
    private final Path dir;

    private MeshCa(ProxyProcess weftd, int xdsPort, Path dir) {
        this.weftd = weftd;
        this.xdsPort = xdsPort;
        this.dir = dir;
    }

    /** Starts weftd with its CA under {@code dir} and issues the tokens of both sidecars. */
    static MeshCa start(String java, String weftdClasspath, Path dir) {
        try {
            Files.createDirectories(dir.resolve("config"));
            Path data = Files.createDirectories(dir.resolve("data"));
            StringBuilder tokens = new StringBuilder();
            for (String role : List.of("outbound", "inbound")) {
                String token = role + "-" + Long.toHexString(System.nanoTime());
                Files.writeString(dir.resolve(role + ".ca-token"), token + "\n");
                tokens.append(token).append(' ').append(MeshCertificates.spiffeId(account(role))).append('\n');
            }
            Files.writeString(data.resolve("workload-tokens"), tokens);
            Path log = dir.resolve("weftd.log");
            int[] port = new int[1];
            ProxyProcess weftd = ProxyProcess.start(List.of(java, "-Xmx128m", "-cp", weftdClasspath,
                    "dev.weft.controlplane.WeftdMain", "--config-dir", dir.resolve("config").toString(), "--data-dir",
                    data.toString(), "--xds-port", "0", "--http-port", "0",
                    // The sidecars here have no ADS (static configs) to learn the root from; the CSR stays on
                    // loopback, and the measured hop is the same.
                    "--xds-plaintext"), () -> {
                        Matcher m = PORTS.matcher(read(log));
                        if (m.find()) {
                            port[0] = Integer.parseInt(m.group(1));
                            return true;
                        }
                        return false;
                    }, log);
            return new MeshCa(weftd, port[0], dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String account(String role) {
        return role.equals("outbound") ? MeshCertificates.CLIENT_SERVICE_ACCOUNT : MeshCertificates.SERVER_SERVICE_ACCOUNT;
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** The values a weft-proxy sidecar of {@code role} (outbound or inbound) starts its agent with. */
    Map<String, String> agentValues(String role) {
        return Map.of("ca_address", "127.0.0.1:" + xdsPort,
                "ca_token", dir.resolve(role + ".ca-token").toString(),
                "identity", MeshCertificates.spiffeId(account(role)));
    }

    @Override
    public void close() {
        weftd.close();
    }
}
