package dev.weft.controlplane.push;

import dev.weft.controlplane.ads.XdsType;
import java.util.Set;
import java.util.TreeSet;

/**
 * Why a push is needed. A full push regenerates every type; otherwise only endpoints changed and
 * only EDS is regenerated (the fast path). {@code reasons} are kept for logs and /debug/syncz.
 */
public record PushRequest(boolean full, Set<String> reasons) {

    public PushRequest {
        reasons = Set.copyOf(reasons);
    }

    public static PushRequest full(String reason) {
        return new PushRequest(true, Set.of(reason));
    }

    public static PushRequest endpointsOnly(String reason) {
        return new PushRequest(false, Set.of(reason));
    }

    /** Whether this push regenerates the type: all of them in a full push, else endpoints only. */
    public boolean covers(XdsType type) {
        return full || type == XdsType.ENDPOINT;
    }

    public PushRequest merge(PushRequest other) {
        TreeSet<String> merged = new TreeSet<>(reasons);
        merged.addAll(other.reasons);
        return new PushRequest(full || other.full, merged);
    }
}
