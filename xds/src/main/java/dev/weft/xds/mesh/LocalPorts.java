package dev.weft.xds.mesh;

import java.util.List;
import java.util.Optional;

/**
 * The port block a local-runtime sidecar owns. On one shared loopback there is no iptables capture,
 * so the sidecar cannot listen on 15001/15006 or on the service ports: it listens for outbound traffic on
 * {@code outbound}, and for each workload (container) port on a proxy port that forwards to the app port.
 * Sent by the proxy in node metadata under {@link ProxyNode#LOCAL_PORTS_KEY}.
 */
public record LocalPorts(int outbound, int admin, List<WorkloadPort> workloadPorts) {

    /** Container port {@code port} is reached at the sidecar's {@code proxy} port and served by the app on {@code app}. */
    public record WorkloadPort(int port, int proxy, int app) {
    }

    public LocalPorts {
        workloadPorts = List.copyOf(workloadPorts);
    }

    public Optional<WorkloadPort> forPort(int port) {
        return workloadPorts.stream().filter(p -> p.port() == port).findFirst();
    }
}
