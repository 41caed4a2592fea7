package dev.weft.controlplane.ads;

/** Per proxy and type, like istioctl proxy-status. */
public enum SyncStatus {
    /** The last response sent was ACKed. */
    SYNCED,
    /** Nothing of this type was ever sent. */
    NOT_SENT,
    /** A response is outstanding or was NACKed. */
    STALE
}
