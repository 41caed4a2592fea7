package dev.weft.controlplane.push;

import dev.weft.controlplane.ads.XdsType;
import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * Why a push is needed and which types it regenerates: every type for a config change, only EDS when only
 * endpoints changed (the fast path), and fewer once the pipeline knows what the change can affect.
 * {@code reasons} are kept for logs.
 */
public record PushRequest(Set<XdsType> types, Set<String> reasons) {

    public PushRequest {
        types = types.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(types));
        reasons = Set.copyOf(reasons);
    }

    public static PushRequest full(String reason) {
        return new PushRequest(EnumSet.allOf(XdsType.class), Set.of(reason));
    }

    public static PushRequest endpointsOnly(String reason) {
        return new PushRequest(EnumSet.of(XdsType.ENDPOINT), Set.of(reason));
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
        return new PushRequest(kept, reasons);
    }

    public PushRequest merge(PushRequest other) {
        TreeSet<String> merged = new TreeSet<>(reasons);
        merged.addAll(other.reasons);
        Set<XdsType> both = EnumSet.noneOf(XdsType.class);
        both.addAll(types);
        both.addAll(other.types);
        return new PushRequest(both, merged);
    }
}
