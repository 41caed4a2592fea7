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
 * @param ca how the CA issues workload certificates
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
        Optional<Path> credentialsDir) {

    public static WeftdOptions defaults() {
        return new WeftdOptions(Optional.empty(), Optional.empty(), Optional.empty(), "127.0.0.1", 15010, 15014,
                Duration.ofMillis(100), Duration.ofSeconds(1), MeshSettings.DEFAULT, CaSettings.DEFAULT,
                Optional.empty());
    }

    public WeftdOptions withConfigDir(Path dir) {
        return new WeftdOptions(Optional.of(dir), dataDir, proxyTokens, bindAddress, xdsPort, httpPort, quietPeriod,
                maxDelay, mesh, ca, credentialsDir);
    }

    public WeftdOptions withDataDir(Path dir) {
        return new WeftdOptions(configDir, Optional.of(dir), proxyTokens, bindAddress, xdsPort, httpPort,
                quietPeriod, maxDelay, mesh, ca, credentialsDir);
    }

    /** Admits only ADS streams whose node carries the token the file lists for it (local mode). */
    public WeftdOptions withProxyTokens(Path file) {
        return new WeftdOptions(configDir, dataDir, Optional.of(file), bindAddress, xdsPort, httpPort, quietPeriod,
                maxDelay, mesh, ca, credentialsDir);
    }

    /** Where the xDS and HTTP ports listen: loopback unless told otherwise. */
    public WeftdOptions withBindAddress(String address) {
        return new WeftdOptions(configDir, dataDir, proxyTokens, address, xdsPort, httpPort, quietPeriod, maxDelay,
                mesh, ca, credentialsDir);
    }

    public WeftdOptions withPorts(int xds, int http) {
        return new WeftdOptions(configDir, dataDir, proxyTokens, bindAddress, xds, http, quietPeriod, maxDelay, mesh,
                ca, credentialsDir);
    }

    public WeftdOptions withDebounce(Duration quiet, Duration max) {
        return new WeftdOptions(configDir, dataDir, proxyTokens, bindAddress, xdsPort, httpPort, quiet, max, mesh, ca,
                credentialsDir);
    }

    public WeftdOptions withCa(CaSettings settings) {
        return new WeftdOptions(configDir, dataDir, proxyTokens, bindAddress, xdsPort, httpPort, quietPeriod,
                maxDelay, mesh, settings, credentialsDir);
    }

    public WeftdOptions withCredentialsDir(Path dir) {
        return new WeftdOptions(configDir, dataDir, proxyTokens, bindAddress, xdsPort, httpPort, quietPeriod,
                maxDelay, mesh, ca, Optional.of(dir));
    }
}
