package dev.weft.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Starts a system's proxies from its config templates: one proxy for the one-hop scenarios, or a sidecar pair for
 * the two-hop ones. Templates get free loopback ports, the upstream's ports and the run's certificates; each process
 * is pinned to the proxy CPUs and logs to {@code <workdir>/<system>-<role>-<label>.log}.
 */
final class ProxyLauncher {

    private final BenchSettings settings;
    private final Path configsDir;
    private final MeshCertificates certificates;

    ProxyLauncher(BenchSettings settings, Path configsDir, MeshCertificates certificates) {
        this.settings = settings;
        this.configsDir = configsDir;
        this.certificates = certificates;
    }

    /** One proxy taking every one-hop scenario on {@code listen}; ready when it proxies a 200 and accepts TCP. */
    ProxyProcess startOneHop(SystemSpec system, Endpoints upstream, Endpoints listen, String label) {
        return start(system, system.configTemplate(), "one-hop", upstream, listen, label,
                ProxyProcess.servesAndAccepts(listen, settings.path()));
    }

    /**
     * Starts the inbound sidecar in front of the upstream, then the outbound one in front of it. The outbound one is
     * ready when a request through both hops gets a 200, so a mutual-TLS setup that does not handshake fails here.
     */
    SidecarPair startPair(SystemSpec system, Topology topology, Endpoints upstream, String label) {
        boolean mtls = topology == Topology.TWO_HOPS_MTLS;
        String inboundTemplate = mtls ? system.mtlsSidecars().inbound() : system.configTemplate();
        String outboundTemplate = mtls ? system.mtlsSidecars().outbound() : system.configTemplate();
        String suffix = mtls ? "-mtls" : "-plain";
        Endpoints inboundListen = Endpoints.fresh();
        ProxyProcess inbound = start(system, inboundTemplate, "inbound" + suffix, upstream, inboundListen, label,
                mtls ? ProxyProcess.acceptsOn(inboundListen.http1())
                        : ProxyProcess.serves(inboundListen.http1(), settings.path()));
        try {
            Endpoints outboundListen = Endpoints.fresh();
            Endpoints nextHop = new Endpoints(inboundListen.http1(), upstream.http2(), upstream.tcp(), upstream.grpc());
            ProxyProcess outbound = start(system, outboundTemplate, "outbound" + suffix, nextHop, outboundListen, label,
                    ProxyProcess.serves(outboundListen.http1(), settings.path()));
            return new SidecarPair(outbound, inbound, outboundListen, inboundListen);
        } catch (RuntimeException e) {
            inbound.close();
            throw e;
        }
    }

    private ProxyProcess start(SystemSpec system, String template, String role, Endpoints upstream, Endpoints listen,
            String label, BooleanSupplier ready) {
        String instance = system.name() + "-" + role;
        Map<String, String> values = new HashMap<>(certificates.templateValues());
        values.put("workdir", settings.workDir().toString());
        values.put("instance", instance);
        values.put("listen_http1", Integer.toString(listen.http1()));
        values.put("listen_http2", Integer.toString(listen.http2()));
        values.put("listen_tcp", Integer.toString(listen.tcp()));
        values.put("listen_grpc", Integer.toString(listen.grpc()));
        values.put("upstream_http1", Integer.toString(upstream.http1()));
        values.put("upstream_grpc", Integer.toString(upstream.grpc()));
        values.put("sink", Integer.toString(upstream.tcp()));
        Path config = settings.workDir().resolve(instance + "-" + template);
        try {
            Files.writeString(config, ConfigTemplate.render(Files.readString(configsDir.resolve(template)), values));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        values.put("config", config.toString());
        List<String> command = settings.pinnedToProxyCpus(
                system.command().stream().map(arg -> ConfigTemplate.render(arg, values)).toList());
        return ProxyProcess.start(command, ready, settings.workDir().resolve(instance + "-" + label + ".log"));
    }
}
