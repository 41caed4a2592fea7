package dev.weft.controlplane.push;

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

    public PushRequest merge(PushRequest other) {
        TreeSet<String> merged = new TreeSet<>(reasons);
        merged.addAll(other.reasons);
        return new PushRequest(full || other.full, merged);
    }
}
