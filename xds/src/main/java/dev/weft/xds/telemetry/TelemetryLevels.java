package dev.weft.xds.telemetry;

import dev.weft.model.Resource;
import dev.weft.model.telemetry.Telemetry;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The Telemetry resources that configure one workload, one per level as Istio picks them: the mesh's (root
 * namespace, no selector), its namespace's (no selector) and its own (a selector that matches its labels); at each
 * level the oldest wins. Each section (tracing, metrics, access logging) merges them itself, the narrower level over
 * the wider, because Istio's rules differ per section.
 */
public record TelemetryLevels(Optional<Resource<Telemetry>> mesh, Optional<Resource<Telemetry>> namespace,
        Optional<Resource<Telemetry>> workload) {

    public static final TelemetryLevels NONE = new TelemetryLevels(Optional.empty(), Optional.empty(),
            Optional.empty());

    /** The levels present, widest first: the order to apply them in. */
    public List<Telemetry> widestFirst() {
        return Stream.of(mesh, namespace, workload).flatMap(Optional::stream).map(Resource::spec).toList();
    }
}
