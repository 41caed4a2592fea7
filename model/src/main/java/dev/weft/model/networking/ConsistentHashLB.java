package dev.weft.model.networking;

import dev.weft.model.NullWhenAbsent;

/** Consistent hashing; the hash key members are a oneof (unset strings are null). */
public record ConsistentHashLB(
    @NullWhenAbsent String httpHeaderName,
    HTTPCookie httpCookie,
    boolean useSourceIp,
    @NullWhenAbsent String httpQueryParameterName,
    RingHash ringHash,
    MagLev maglev,
    long minimumRingSize) {}
