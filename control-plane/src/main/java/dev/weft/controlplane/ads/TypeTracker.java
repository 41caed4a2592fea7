package dev.weft.controlplane.ads;

import java.util.Set;

/** ACK/NACK bookkeeping for one type on one stream. Guarded by its stream's lock. */
final class TypeTracker {

    final XdsType type;
    Set<String> subscribed = Set.of();
    String sentNonce = "";
    String sentVersion = "";
    String ackedVersion = "";
    String nackError = "";
    /** What the last response was taken from (shared by every stream of the scope, so it costs a stream nothing). */
    PackedResources sentFrom = PackedResources.EMPTY;
    boolean everSent;

    TypeTracker(XdsType type) {
        this.type = type;
    }

    void sent(String version, String nonce, PackedResources from) {
        sentVersion = version;
        sentNonce = nonce;
        sentFrom = from;
        everSent = true;
    }

    /** Whether the proxy subscribed to this name (no names, or "*", is every resource of the type). */
    boolean wants(String name) {
        return subscribed.isEmpty() || subscribed.contains("*") || subscribed.contains(name);
    }

    void acked(String version) {
        ackedVersion = version;
        nackError = "";
    }

    void nacked(String error) {
        nackError = error;
    }

    TypeStatus status() {
        SyncStatus status;
        if (!everSent) {
            status = SyncStatus.NOT_SENT;
        } else if (nackError.isEmpty() && sentVersion.equals(ackedVersion)) {
            status = SyncStatus.SYNCED;
        } else {
            status = SyncStatus.STALE;
        }
        return new TypeStatus(type, sentVersion, ackedVersion, nackError, status);
    }
}
