package dev.weft.xds.mesh;

import java.util.List;
import java.util.Optional;

/**
 * The port block a local-runtime sidecar owns. Without iptables capture the sidecar cannot listen on
 * 15001/15006 for every destination: it listens for outbound HTTP on {@code outbound}, for each workload
 * (container) port on a proxy port that forwards to the app port, and for each non-HTTP dependency on an
 * egress port the app dials instead of the service. Sent by the proxy in node metadata under
 * {@link ProxyNode#LOCAL_PORTS_KEY}.
 */
public record LocalPorts(int outbound, int admin, List<WorkloadPort> workloadPorts, List<EgressPort> egress) {

    /** Container port {@code port} is reached at the sidecar's {@code proxy} port and served by the app on {@code app}. */
    public record WorkloadPort(int port, int proxy, int app) {
    }

    /** Connections to the sidecar's {@code listen} port go where connections to {@code host:port} would. */
    public record EgressPort(String host, int port, int listen) {
    }

    public LocalPorts {
        workloadPorts = List.copyOf(workloadPorts);
        egress = List.copyOf(egress);
    }

    public LocalPorts(int outbound, int admin, List<WorkloadPort> workloadPorts) {
        this(outbound, admin, workloadPorts, List.of());
    }

    public Optional<WorkloadPort> forPort(int port) {
        return workloadPorts.stream().filter(p -> p.port() == port).findFirst();
    }
}
