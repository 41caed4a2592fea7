package dev.weft.bench;

import dev.weft.testing.tls.TestPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The mesh identities for the mutual-TLS hop, made fresh for every run (no key is ever committed): one CA, and
 * a certificate for each sidecar with an Istio SPIFFE URI SAN ({@code spiffe://cluster.local/ns/default/sa/<name>}).
 * Each also carries a DNS SAN, because nginx and HAProxy can only check a peer by host name, not by URI.
 * Files written: {@code ca.pem}; {@code <role>.pem} and {@code <role>-key.pem} (PKCS#8) for weft-proxy and nginx;
 * {@code <role>-bundle.pem} (certificate then key) for HAProxy; role is {@code outbound} or {@code inbound}.
 */
final class MeshCertificates {

    static final String CLIENT_SERVICE_ACCOUNT = "bench-client";
    static final String SERVER_SERVICE_ACCOUNT = "bench-server";

    private final Path dir;

    private MeshCertificates(Path dir) {
        this.dir = dir;
    }

    static MeshCertificates writeTo(Path dir) {
        try {
            Files.createDirectories(dir);
            TestPki ca = TestPki.create("weft-bench-mesh-ca");
            Files.writeString(dir.resolve("ca.pem"), ca.caPem());
            write(dir, "outbound", ca.issue(CLIENT_SERVICE_ACCOUNT, spiffeId(CLIENT_SERVICE_ACCOUNT),
                    dnsName(CLIENT_SERVICE_ACCOUNT)));
            write(dir, "inbound", ca.issue(SERVER_SERVICE_ACCOUNT, spiffeId(SERVER_SERVICE_ACCOUNT),
                    dnsName(SERVER_SERVICE_ACCOUNT)));
            return new MeshCertificates(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String spiffeId(String serviceAccount) {
        return "spiffe://cluster.local/ns/default/sa/" + serviceAccount;
    }

    static String dnsName(String serviceAccount) {
        return serviceAccount + ".default.svc";
    }

    /** The config template values naming these files and identities. */
    Map<String, String> templateValues() {
        return Map.of("certs", dir.toString(),
                "client_spiffe_id", spiffeId(CLIENT_SERVICE_ACCOUNT),
                "server_spiffe_id", spiffeId(SERVER_SERVICE_ACCOUNT),
                "server_dns_name", dnsName(SERVER_SERVICE_ACCOUNT));
    }

    private static void write(Path dir, String role, TestPki.Issued issued) throws IOException {
        issued.writeTo(dir, role);
        Files.writeString(dir.resolve(role + "-bundle.pem"), issued.certificatePem() + issued.privateKeyPem());
    }
}
