package dev.weft.controlplane.ads;

import com.google.protobuf.Any;
import dev.weft.xds.mesh.ProxyNode;
import java.util.SortedMap;

/**
 * Produces the resources of one type for one proxy from the current push snapshot.
 * Must be pure and deterministic: the ADS server compares outputs to decide whether to send.
 */
public interface ResourceGenerator {

    /** Resources by name, sorted. */
    SortedMap<String, Any> generate(ProxyNode proxy, XdsType type);
}
