package dev.weft.controlplane.push;

import dev.weft.controlplane.ads.XdsType;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Why a push is needed and which types it regenerates: every type for a config change, only EDS when only
 * endpoints changed (the fast path), and fewer once the pipeline knows what the change can affect.
 * {@code reasons} are istiod's push triggers ({@code config}, {@code endpoint}, ...), for logs and
 * {@code pilot_push_triggers}; {@code start} is when the first change it covers happened, where a proxy's
 * convergence time counts from.
 */
public record PushRequest(Set<XdsType> types, Set<String> reasons, Instant start) {

    public PushRequest {
        types = types.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(types));
        reasons = Set.copyOf(reasons);
        Objects.requireNonNull(start, "start");
    }

    public static PushRequest full(String reason, Instant start) {
        return new PushRequest(EnumSet.allOf(XdsType.class), Set.of(reason), start);
    }

    public static PushRequest endpointsOnly(String reason, Instant start) {
        return new PushRequest(EnumSet.of(XdsType.ENDPOINT), Set.of(reason), start);
    }

    public boolean full() {
        return types.size() == XdsType.values().length;
    }

    /** Whether this push regenerates the type. */
    public boolean covers(XdsType type) {
        return types.contains(type);
    }

    /** The same push, regenerating only those of its types that {@code affected} allows. */
    public PushRequest limitedTo(Set<XdsType> affected) {
        Set<XdsType> kept = EnumSet.noneOf(XdsType.class);
        types.stream().filter(affected::contains).forEach(kept::add);
        return new PushRequest(kept, reasons, start);
    }

    /** Both pushes in one, starting at the earlier change. */
    public PushRequest merge(PushRequest other) {
        TreeSet<String> merged = new TreeSet<>(reasons);
        merged.addAll(other.reasons);
        Set<XdsType> both = EnumSet.noneOf(XdsType.class);
        both.addAll(types);
        both.addAll(other.types);
        return new PushRequest(both, merged, start.isBefore(other.start) ? start : other.start);
    }
}
