package dev.weft.proxy.agent;

import java.nio.file.Path;

/**
 * The files Istio's injector gives the proxy container: a writable directory for the bootstrap (Istio's
 * {@code ProxyConfig.configPath}), the downward-API pod info ({@code labels} and {@code annotations}), the projected
 * service account token (audience {@code istio-ca}) and the mesh root ({@code istio-ca-root-cert}).
 */
public record AgentPaths(Path configDir, Path podInfoDir, Path tokenFile, Path rootCert) {

    /** Where the injected pod mounts them. */
    public static final AgentPaths POD = new AgentPaths(Path.of("/etc/istio/proxy"), Path.of("/etc/istio/pod"),
            Path.of("/var/run/secrets/tokens/istio-token"), Path.of("/var/run/secrets/istio/root-cert.pem"));

    /** The bootstrap the agent writes and the proxy runs, named as Istio names it (kept for debugging). */
    public Path bootstrapFile() {
        return configDir.resolve("envoy-rev.json");
    }

    /** The same paths, the bootstrap written elsewhere (ProxyConfig's {@code configPath}). */
    public AgentPaths withConfigDir(Path dir) {
        return new AgentPaths(dir, podInfoDir, tokenFile, rootCert);
    }
}
