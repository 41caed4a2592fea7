package dev.weft.controlplane.ads;

import io.envoyproxy.envoy.config.core.v3.Node;
import java.util.Optional;

/** Whether a proxy may open an ADS stream, judged by the node of its first request. */
@FunctionalInterface
public interface ProxyAdmission {

    /** Every node is admitted: weftd embedded, in tests, or outside local mode. */
    ProxyAdmission ANYONE = node -> Optional.empty();

    /** Why the node is refused, or empty when it is admitted. */
    Optional<String> refusal(Node node);
}
