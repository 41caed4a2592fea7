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
    private final MeshCa ca;

    /** {@code ca} issues the certificates of sidecars that ask weftd for them; null when no system does. */
    ProxyLauncher(BenchSettings settings, Path configsDir, MeshCertificates certificates, MeshCa ca) {
        this.settings = settings;
        this.configsDir = configsDir;
        this.certificates = certificates;
        this.ca = ca;
    }

    /** One proxy taking every one-hop scenario on {@code listen}; ready when it proxies a 200 and accepts TCP. */
    ProxyProcess startOneHop(SystemSpec system, Endpoints upstream, Endpoints listen, String label) {
        return start(system, system.configTemplate(), "one-hop", upstream, listen, label,
                ProxyProcess.servesAndAccepts(listen, settings.path()), List.of(), Map.of());
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
                        : ProxyProcess.serves(inboundListen.http1(), settings.path()),
                agentArguments(system, mtls), agentValues(system, mtls, "inbound"));
        try {
            Endpoints outboundListen = Endpoints.fresh();
            Endpoints nextHop = new Endpoints(inboundListen.http1(), upstream.http2(), upstream.tcp(), upstream.grpc());
            ProxyProcess outbound = start(system, outboundTemplate, "outbound" + suffix, nextHop, outboundListen, label,
                    ProxyProcess.serves(outboundListen.http1(), settings.path()), agentArguments(system, mtls),
                    agentValues(system, mtls, "outbound"));
            return new SidecarPair(outbound, inbound, outboundListen, inboundListen);
        } catch (RuntimeException e) {
            inbound.close();
            throw e;
        }
    }

    private static List<String> agentArguments(SystemSpec system, boolean mtls) {
        return mtls ? system.mtlsSidecars().agentArguments() : List.of();
    }

    private Map<String, String> agentValues(SystemSpec system, boolean mtls, String role) {
        if (agentArguments(system, mtls).isEmpty()) {
            return Map.of();
        }
        if (ca == null) {
            throw new IllegalStateException(system.name() + "'s sidecars get their certificates from weftd: pass"
                    + " --weftd-classpath (bench/run.sh does)");
        }
        return ca.agentValues(role);
    }

    private ProxyProcess start(SystemSpec system, String template, String role, Endpoints upstream, Endpoints listen,
            String label, BooleanSupplier ready, List<String> agentArguments, Map<String, String> agentValues) {
        String instance = system.name() + "-" + role;
        Map<String, String> values = new HashMap<>(certificates.templateValues());
        values.putAll(agentValues);
        values.put("workdir", settings.workDir().toString());
        values.put("instance", instance);
        values.put("listen_http1", Integer.toString(listen.http1()));
        values.put("listen_http2", Integer.toString(listen.http2()));
        values.put("listen_tcp", Integer.toString(listen.tcp()));
        values.put("listen_grpc", Integer.toString(listen.grpc()));
        values.put("upstream_http1", Integer.toString(upstream.http1()));
        values.put("upstream_grpc", Integer.toString(upstream.grpc()));
        values.put("sink", Integer.toString(upstream.tcp()));
        Map<String, String> own = new HashMap<>();
        system.templateValues().forEach((k, v) -> own.put(k, ConfigTemplate.render(v, values)));
        values.putAll(own);
        Path config = settings.workDir().resolve(instance + "-" + template);
        try {
            Files.writeString(config, ConfigTemplate.render(Files.readString(configsDir.resolve(template)), values));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        values.put("config", config.toString());
        List<String> arguments = new java.util.ArrayList<>(system.command());
        arguments.addAll(agentArguments);
        List<String> command = settings.pinnedToProxyCpus(
                arguments.stream().map(arg -> ConfigTemplate.render(arg, values)).toList());
        return ProxyProcess.start(command, ready, settings.workDir().resolve(instance + "-" + label + ".log"));
    }
}
