package dev.weft.model.security;

import dev.weft.model.common.PolicySelector;
import java.util.Map;

/** PeerAuthentication spec: server-side mTLS mode, optionally per workload port. */
public record PeerAuthentication(
    PolicySelector selector,
    PeerMutualTls mtls,
    Map<Integer, PeerMutualTls> portLevelMtls) {}
