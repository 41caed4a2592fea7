package dev.weft.controlplane.ads;

import com.google.protobuf.Any;
import java.util.List;
import java.util.Set;

/** ACK/NACK bookkeeping for one type on one stream. Guarded by its stream's lock. */
final class TypeTracker {

    final XdsType type;
    Set<String> subscribed = Set.of();
    String sentNonce = "";
    String sentVersion = "";
    String ackedVersion = "";
    String nackError = "";
    List<Any> sentResources = List.of();
    boolean everSent;

    TypeTracker(XdsType type) {
        this.type = type;
    }

    void sent(String version, String nonce, List<Any> resources) {
        sentVersion = version;
        sentNonce = nonce;
        sentResources = List.copyOf(resources);
        everSent = true;
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
