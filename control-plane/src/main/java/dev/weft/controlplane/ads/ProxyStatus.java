package dev.weft.controlplane.ads;

import java.util.List;

/**
 * The sync state of one connected proxy, for /debug/syncz and `weft proxy-status`; {@code sending} while a response
 * is queued for it or being written.
 */
public record ProxyStatus(String proxyId, String namespace, String streamKind, List<TypeStatus> types,
        boolean sending) {

    public ProxyStatus {
        types = List.copyOf(types);
    }

    public TypeStatus type(XdsType type) {
        return types.stream().filter(t -> t.type() == type).findFirst()
                .orElse(new TypeStatus(type, "", "", "", SyncStatus.NOT_SENT));
    }

    /** Nothing queued, and the proxy ACKed every type it was sent (types never sent do not hold it back). */
    public boolean inSync() {
        return !sending && types.stream().allMatch(t -> t.status() != SyncStatus.STALE);
    }
}
