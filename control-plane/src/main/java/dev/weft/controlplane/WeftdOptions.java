package dev.weft.controlplane;

import dev.weft.controlplane.ca.CaSettings;
import dev.weft.xds.push.MeshSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * How to run weftd. Ports may be 0 (the OS picks; {@link Weftd} reports the bound ports).
 *
 * @param configDir a watched directory of YAML, if any; applied config always works
 * @param dataDir where weftd keeps what must survive a restart (the applied config, the CA's root and the workload
 *     tokens); without it, applied config lives in memory only and there is no CA
 * @param proxyTokens local mode's node ID to proxy token file ({@link dev.weft.controlplane.ads.ProxyTokens}); with
 *     it, an ADS stream whose node does not carry its token is refused; without it, a source that vouches for its
 *     workloads ({@link MeshSource#workloadTokens}) decides, else every node is admitted
 * @param ca how the CA issues workload certificates and weftd's serving certificate
 * @param meshConfig Istio's MeshConfig YAML ({@code --mesh-config}), read again when it changes; without it the mesh
 *     runs with {@code mesh}
 * @param xdsPlaintext serve xDS and the CA in plain text even when the CA runs (Istio's 15010); otherwise, with a
 *     data directory, the xDS port speaks TLS with a certificate from weftd's CA (Istio's 15012)
 * @param credentialsDir TLS credentials for {@code credentialName} fields, watched, one directory per credential
 *     ({@link dev.weft.controlplane.config.CredentialDirectory})
 * @param sources platforms whose config and workloads weftd serves too (a Kubernetes cluster), closed by weftd
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
        Optional<Path> credentialsDir,
        List<MeshSource> sources) {

    public WeftdOptions {
        sources = List.copyOf(sources);
    }

    public static WeftdOptions defaults() {
        return new WeftdOptions(Optional.empty(), Optional.empty(), Optional.empty(), "127.0.0.1", 15010, 15014,
                Duration.ofMillis(100), Duration.ofSeconds(1), MeshSettings.DEFAULT, CaSettings.DEFAULT,
                Optional.empty(), false, Optional.empty(), List.of());
    }

    public WeftdOptions withConfigDir(Path dir) {
        return edit(b -> b.configDir = Optional.of(dir));
    }

    public WeftdOptions withDataDir(Path dir) {
        return edit(b -> b.dataDir = Optional.of(dir));
    }

    /** Admits only ADS streams whose node carries the token the file lists for it (local mode). */
    public WeftdOptions withProxyTokens(Path file) {
        return edit(b -> b.proxyTokens = Optional.of(file));
    }

    /** Where the xDS and HTTP ports listen: loopback unless told otherwise. */
    public WeftdOptions withBindAddress(String address) {
        return edit(b -> b.bindAddress = address);
    }

    public WeftdOptions withPorts(int xds, int http) {
        return edit(b -> {
            b.xdsPort = xds;
            b.httpPort = http;
        });
    }

    public WeftdOptions withDebounce(Duration quiet, Duration max) {
        return edit(b -> {
            b.quietPeriod = quiet;
            b.maxDelay = max;
        });
    }

    public WeftdOptions withCa(CaSettings settings) {
        return edit(b -> b.ca = settings);
    }

    /** Istio's MeshConfig YAML, watched: the mesh settings and, without {@code --trust-domain}, the CA's trust domain. */
    public WeftdOptions withMeshConfig(Path file) {
        return edit(b -> b.meshConfig = Optional.of(file));
    }

    /** Plain-text xDS and CA although the CA runs: for tests and clients that cannot speak TLS (Istio's 15010). */
    public WeftdOptions withPlaintextXds() {
        return edit(b -> b.xdsPlaintext = true);
    }

    /** Serves the TLS credentials of this directory to the proxies whose config names them ({@code credentialName}). */
    public WeftdOptions withCredentialsDir(Path dir) {
        return edit(b -> b.credentialsDir = Optional.of(dir));
    }

    /** Serves this platform's config (beneath applied config, above the directory's) and workloads too. */
    public WeftdOptions withSource(MeshSource source) {
        return edit(b -> {
            List<MeshSource> more = new ArrayList<>(b.sources);
            more.add(source);
            b.sources = more;
        });
    }

    /** Whether the xDS port speaks TLS: when the CA runs, unless plain text was asked for. */
    public boolean xdsTls() {
        return dataDir.isPresent() && !xdsPlaintext;
    }

    /** A copy with some components changed: the one place that lists every component, so an option is added here. */
    private WeftdOptions edit(Consumer<Builder> change) {
        Builder builder = new Builder(this);
        change.accept(builder);
        return builder.build();
    }

    private static final class Builder {
        Optional<Path> configDir;
        Optional<Path> dataDir;
        Optional<Path> proxyTokens;
        String bindAddress;
        int xdsPort;
        int httpPort;
        Duration quietPeriod;
        Duration maxDelay;
        MeshSettings mesh;
        CaSettings ca;
        Optional<Path> meshConfig;
        boolean xdsPlaintext;
        Optional<Path> credentialsDir;
        List<MeshSource> sources;

        Builder(WeftdOptions from) {
            configDir = from.configDir;
            dataDir = from.dataDir;
            proxyTokens = from.proxyTokens;
            bindAddress = from.bindAddress;
            xdsPort = from.xdsPort;
            httpPort = from.httpPort;
            quietPeriod = from.quietPeriod;
            maxDelay = from.maxDelay;
            mesh = from.mesh;
            ca = from.ca;
            meshConfig = from.meshConfig;
            xdsPlaintext = from.xdsPlaintext;
            credentialsDir = from.credentialsDir;
            sources = from.sources;
        }

        WeftdOptions build() {
            return new WeftdOptions(configDir, dataDir, proxyTokens, bindAddress, xdsPort, httpPort, quietPeriod,
                    maxDelay, mesh, ca, meshConfig, xdsPlaintext, credentialsDir, sources);
        }
    }
}
