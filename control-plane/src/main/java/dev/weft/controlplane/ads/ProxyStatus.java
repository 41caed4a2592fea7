package dev.weft.controlplane.ads;

import java.util.List;

/** The sync state of one connected proxy, for /debug/syncz and `weft proxy-status`. */
public record ProxyStatus(String proxyId, String namespace, String streamKind, List<TypeStatus> types) {

    public ProxyStatus {
        types = List.copyOf(types);
    }

    public TypeStatus type(XdsType type) {
        return types.stream().filter(t -> t.type() == type).findFirst()
                .orElse(new TypeStatus(type, "", "", "", SyncStatus.NOT_SENT));
    }
}
