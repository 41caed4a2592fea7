package dev.weft.controlplane;

import dev.weft.controlplane.ca.CaSettings;
import dev.weft.xds.push.MeshSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How to run weftd. Ports may be 0 (the OS picks; {@link Weftd} reports the bound ports).
 *
 * @param configDir a watched directory of YAML, if any; applied config always works
 * @param dataDir where weftd keeps what must survive a restart (the applied config, the CA's root and the workload
 *     tokens); without it, applied config lives in memory only and there is no CA
 * @param proxyTokens local mode's node ID to proxy token file ({@link dev.weft.controlplane.ads.ProxyTokens}); with
 *     it, an ADS stream whose node does not carry its token is refused, without it every node is admitted
 * @param ca how the CA issues workload certificates and weftd's serving certificate
 * @param meshConfig Istio's MeshConfig YAML ({@code --mesh-config}), read again when it changes; without it the mesh
 *     runs with {@code mesh}
 * @param xdsPlaintext serve xDS and the CA in plain text even when the CA runs (Istio's 15010); otherwise, with a
 *     data directory, the xDS port speaks TLS with a certificate from weftd's CA (Istio's 15012)
 * @param credentialsDir TLS credentials for {@code credentialName} fields, watched, one directory per credential
 *     ({@link dev.weft.controlplane.config.CredentialDirectory})
 */
public record WeftdOptions(
        Optional<Path> configDir,
        Optional<Path> dataDir,
        Optional<Path> proxyTokens,
        String bindAddress,
        int xdsPort,
        int httpPort,
        Duration quietPeriod,
        Duration maxDelay,
        MeshSettings mesh,
        CaSettings ca,
        Optional<Path> meshConfig,
        boolean xdsPlaintext,
        Optional<Path> credentialsDir) {

    public static WeftdOptions defaults() {
        return new WeftdOptions(Optional.empty(), Optional.empty(), Optional.empty(), "127.0.0.1", 15010, 15014,
                Duration.ofMillis(100), Duration.ofSeconds(1), MeshSettings.DEFAULT, CaSettings.DEFAULT,
                Optional.empty(), false, Optional.empty());
    }

    public WeftdOptions withConfigDir(Path dir) {
        return new WeftdOptions(Optional.of(dir), dataDir, proxyTokens, bindAddress, xdsPort, httpPort, quietPeriod,
                maxDelay, mesh, ca, meshConfig, xdsPlaintext, credentialsDir);
    }

    public WeftdOptions withDataDir(Path dir) {
        return new WeftdOptions(configDir, Optional.of(dir), proxyTokens, bindAddress, xdsPort, httpPort,
                quietPeriod, maxDelay, mesh, ca, meshConfig, xdsPlaintext, credentialsDir);
    }

    /** Admits only ADS streams whose node carries the token the file lists for it (local mode). */
    public WeftdOptions withProxyTokens(Path file) {
        return new WeftdOptions(configDir, dataDir, Optional.of(file), bindAddress, xdsPort, httpPort, quietPeriod,
                maxDelay, mesh, ca, meshConfig, xdsPlaintext, credentialsDir);
    }

    /** Where the xDS and HTTP ports listen: loopback unless told otherwise. */
    public WeftdOptions withBindAddress(String address) {
        return new WeftdOptions(configDir, dataDir, proxyTokens, address, xdsPort, httpPort, quietPeriod, maxDelay,
                mesh, ca, meshConfig, xdsPlaintext, credentialsDir);
    }

    public WeftdOptions withPorts(int xds, int http) {
        return new WeftdOptions(configDir, dataDir, proxyTokens, bindAddress, xds, http, quietPeriod, maxDelay, mesh,
                ca, meshConfig, xdsPlaintext, credentialsDir);
    }

    public WeftdOptions withDebounce(Duration quiet, Duration max) {
        return new WeftdOptions(configDir, dataDir, proxyTokens, bindAddress, xdsPort, httpPort, quiet, max, mesh, ca,
                meshConfig, xdsPlaintext, credentialsDir);
    }

    public WeftdOptions withCa(CaSettings settings) {
        return new WeftdOptions(configDir, dataDir, proxyTokens, bindAddress, xdsPort, httpPort, quietPeriod,
                maxDelay, mesh, settings, meshConfig, xdsPlaintext, credentialsDir);
    }

    /** Istio's MeshConfig YAML, watched: the mesh settings and, without {@code --trust-domain}, the CA's trust domain. */
    public WeftdOptions withMeshConfig(Path file) {
        return new WeftdOptions(configDir, dataDir, proxyTokens, bindAddress, xdsPort, httpPort, quietPeriod,
                maxDelay, mesh, ca, Optional.of(file), xdsPlaintext, credentialsDir);
    }

    /** Plain-text xDS and CA although the CA runs: for tests and clients that cannot speak TLS (Istio's 15010). */
    public WeftdOptions withPlaintextXds() {
        return new WeftdOptions(configDir, dataDir, proxyTokens, bindAddress, xdsPort, httpPort, quietPeriod,
                maxDelay, mesh, ca, meshConfig, true, credentialsDir);
    }

    /** Serves the TLS credentials of this directory to the proxies whose config names them ({@code credentialName}). */
    public WeftdOptions withCredentialsDir(Path dir) {
        return new WeftdOptions(configDir, dataDir, proxyTokens, bindAddress, xdsPort, httpPort, quietPeriod,
                maxDelay, mesh, ca, meshConfig, xdsPlaintext, Optional.of(dir));
    }

    /** Whether the xDS port speaks TLS: when the CA runs, unless plain text was asked for. */
    public boolean xdsTls() {
        return dataDir.isPresent() && !xdsPlaintext;
    }
}
