package dev.weft.xds.mesh;

import java.util.Map;
import java.util.Objects;

/**
 * One workload (a WorkloadEntry, or a sidecar that registered itself) that may back services.
 * {@code portsByName} maps a service port name to the port this workload listens on, overriding
 * the service's target port; {@code portsByTargetPort} remaps a target port (a local-runtime sidecar is
 * reached on its own inbound port, not on the container port).
 */
public record WorkloadInstance(
        String name,
        String namespace,
        String address,
        Map<String, Integer> portsByName,
        Map<Integer, Integer> portsByTargetPort,
        Map<String, String> labels,
        Locality locality,
        int weight,
        String serviceAccount) {

    public WorkloadInstance {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(address, "address");
        portsByName = Map.copyOf(portsByName);
        portsByTargetPort = Map.copyOf(portsByTargetPort);
        labels = Map.copyOf(labels);
        Objects.requireNonNull(locality, "locality");
        if (weight < 0) {
            throw new IllegalArgumentException("weight " + weight + " is negative");
        }
        serviceAccount = serviceAccount == null ? "" : serviceAccount;
    }

    /** The port this workload serves {@code port} on: its own port map first, then the target port. */
    public int portFor(ServicePort port) {
        int target = targetPortFor(port);
        return portsByTargetPort.getOrDefault(target, target);
    }

    /** The workload (container) port serving the service port: its own named port, else the target port. */
    public int targetPortFor(ServicePort port) {
        Integer own = portsByName.get(port.name());
        return own != null ? own : port.effectiveTargetPort();
    }

    /** Istio treats an unset weight (0) as 1. */
    public int effectiveWeight() {
        return weight == 0 ? 1 : weight;
    }

    public boolean hasLabels(Map<String, String> selector) {
        return labels.entrySet().containsAll(selector.entrySet());
    }
}
