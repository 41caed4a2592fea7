package dev.weft.proxy.agent;

import dev.weft.proxy.bootstrap.BootstrapLoader;
import dev.weft.proxy.bootstrap.BootstrapResult;
import dev.weft.proxy.identity.WorkloadIdentity;
import dev.weft.proxy.server.ProxyOptions;
import dev.weft.proxy.server.ProxyServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code weft-proxy sidecar} (and {@code router}): what Istio's {@code pilot-agent proxy} does in a pod, in the
 * proxy's own process. From the pod's environment and files it writes the Envoy bootstrap
 * ({@code envoy-rev.json}, kept for debugging), starts the proxy with ADS over TLS to the discovery address (the
 * pod's {@code istio-token} as {@code authorization: Bearer} on the stream, as Istio's agent sends it), keeps the
 * workload certificate from the CA with the same token, and serves the status port (app probes, merged metrics,
 * readiness).
 */
public final class SidecarAgent implements AutoCloseable {

    private final PodEnvironment pod;
    private final Path bootstrapFile;
    private final ProxyServer proxy;
    private final StatusServer status;

    private SidecarAgent(PodEnvironment pod, Path bootstrapFile, ProxyServer proxy, StatusServer status) {
        this.pod = pod;
        this.bootstrapFile = bootstrapFile;
        this.proxy = proxy;
        this.status = status;
    }

    /** Starts a pod's proxy on Istio's ports (ProxyConfig and {@code STATUS_PORT} may move some). */
    public static SidecarAgent start(String type, Map<String, String> env, AgentPaths paths) {
        PodEnvironment pod = PodEnvironment.read(type, env, paths.podInfoDir());
        return start(pod, pod.paths(paths), pod.ports());
    }

    /**
     * Starts a pod's proxy on the given ports (tests: free ones).
     *
     * @throws IllegalArgumentException when the environment, files or bootstrap are not usable, saying why
     */
    public static SidecarAgent start(String type, Map<String, String> env, AgentPaths paths, AgentPorts ports) {
        PodEnvironment pod = PodEnvironment.read(type, env, paths.podInfoDir());
        return start(pod, pod.paths(paths), ports);
    }

    private static SidecarAgent start(PodEnvironment pod, AgentPaths paths, AgentPorts ports) {
        Map<String, AppProbe> probes = AppProbe.parse(pod.env().get("ISTIO_KUBE_APP_PROBERS"));
        // As Istio's agent: a gateway's status port is exposed by its Service, so it merges no app metrics.
        Optional<AppMetrics> appMetrics = pod.type().equals("sidecar")
                ? AppMetrics.parse(pod.env().get("ISTIO_PROMETHEUS_ANNOTATIONS"), ports.status()) : Optional.empty();
        if (!Files.isReadable(paths.rootCert())) {
            throw new IllegalArgumentException("the mesh root " + paths.rootCert() + " is not readable: the proxy"
                    + " verifies the control plane with it (the istio-ca-root-cert ConfigMap)");
        }
        Path bootstrapFile = writeBootstrap(pod, paths, ports);
        BootstrapResult loaded = new BootstrapLoader().load(bootstrapFile);
        if (loaded instanceof BootstrapResult.Invalid invalid) {
            throw new IllegalArgumentException(bootstrapFile + ": " + invalid.message());
        }
        ProxyOptions options = ProxyOptions.defaults()
                .withIdentity(new WorkloadIdentity(pod.caAddress(), paths.tokenFile(), pod.spiffeId(),
                        pod.certificateTtl()))
                .withXdsToken(paths.tokenFile());
        ProxyServer proxy = ProxyServer.start(((BootstrapResult.Valid) loaded).bootstrap(), options);
        if (!proxy.configErrors().isEmpty()) {
            proxy.close();
            throw new IllegalArgumentException(bootstrapFile + " rejected: " + proxy.configErrors().stream()
                    .map(Object::toString).collect(Collectors.joining("; ")));
        }
        StatusServer status = null;
        if (ports.status() != 0) {
            String destination = "true".equalsIgnoreCase(pod.env().get("REWRITE_PROBE_LEGACY_LOCALHOST_DESTINATION"))
                    ? "localhost" : pod.instanceIp();
            try {
                status = StatusServer.start(ports.status(), new StatusServer.Sources(proxy::readiness,
                        proxy::prometheusText, probes, new AppProber(destination), appMetrics));
            } catch (RuntimeException e) {
                proxy.close();
                throw e;
            }
        }
        return new SidecarAgent(pod, bootstrapFile, proxy, status);
    }

    /** Writes the bootstrap where Istio's agent writes it. */
    private static Path writeBootstrap(PodEnvironment pod, AgentPaths paths, AgentPorts ports) {
        int colon = pod.discoveryAddress().lastIndexOf(':');
        int port;
        try {
            port = Integer.parseInt(pod.discoveryAddress().substring(colon + 1));
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("ProxyConfig discoveryAddress " + pod.discoveryAddress()
                    + " is not host:port");
        }
        String host = pod.discoveryAddress().substring(0, Math.max(colon, 0)).replaceAll("^\\[|]$", "");
        Map<String, Object> bootstrap = EnvoyBootstrap.of(pod.node(),
                new EnvoyBootstrap.Ports("127.0.0.1", ports.admin(), "0.0.0.0", ports.health(), ports.prometheus()),
                new EnvoyBootstrap.ControlPlane(host, port, Optional.of(paths.rootCert())), pod.statsInclusions());
        Path file = paths.bootstrapFile();
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, EnvoyBootstrap.json(bootstrap));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the bootstrap " + file, e);
        }
        return file;
    }

    public PodEnvironment pod() {
        return pod;
    }

    public ProxyServer proxy() {
        return proxy;
    }

    /** The bootstrap the proxy runs ({@code envoy-rev.json}). */
    public Path bootstrapFile() {
        return bootstrapFile;
    }

    /** The status port where it listens, or 0 when it is off. */
    public int statusPort() {
        return status == null ? 0 : status.port();
    }

    @Override
    public void close() {
        if (status != null) {
            status.close();
        }
        proxy.close();
    }
}
