package dev.weft.controlplane.ads;

/**
 * What one proxy holds of one type: the version last sent, the version it last ACKed (it keeps running
 * that one after a NACK) and the error detail of the last NACK, if the last answer was a NACK.
 */
public record TypeStatus(XdsType type, String sentVersion, String ackedVersion, String nackError, SyncStatus status) {
}
