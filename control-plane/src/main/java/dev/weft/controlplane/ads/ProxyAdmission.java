package dev.weft.controlplane.ads;

import dev.weft.controlplane.ca.Caller;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.util.Optional;

/** Whether a proxy may open an ADS stream, judged by the node of its first request and what the caller presented. */
@FunctionalInterface
public interface ProxyAdmission {

    /** Every node is admitted: weftd embedded, in tests, or without a way to identify workloads. */
    ProxyAdmission ANYONE = (node, caller) -> Optional.empty();

    /** Why the node is refused, or empty when it is admitted. */
    Optional<String> refusal(Node node, Caller caller);
}
