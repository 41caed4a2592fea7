package dev.weft.proxy.istio;

import java.util.Objects;

/**
 * What tells one series of Istio's metrics from another, besides the reporting proxy's own workload: who the peer is,
 * which service was called, how, and how it ended (a TCP connection has no response code and no gRPC status). A table probes with one mutable instance per event loop
 * (no allocation per request) and stores {@link #copy() copies}. The filter that counts fills the fields, then
 * {@link #seal()}s it.
 */
public final class RequestLabels {

    public enum Security { UNKNOWN, NONE, MUTUAL_TLS }

    static final String[] NO_TAGS = new String[0];

    /** Istio's {@code request_protocol}. */
    public enum Protocol { HTTP, GRPC, TCP }

    public boolean sourceReporter;
    public WorkloadMetadata peer;
    public DestinationService service;
    public String sourcePrincipal;
    public String destinationPrincipal;
    public Protocol protocol;
    public int responseCode;
    public int responseFlags;
    public String grpcStatus;
    /** Tags Telemetry adds, sorted, and their values for this request: empty arrays without any. */
    public String[] extraTags = NO_TAGS;
    public String[] extraValues = NO_TAGS;
    public Security security;
    private int hash;

    /**
     * Sets who is on each side. A source reporter is {@code own} calling {@code service} at {@code peer}, and knows
     * the peer's principal only as the peer announced it; a destination reporter serves {@code service} to
     * {@code peer}, whose principal its client certificate proves ({@code downstreamPrincipal}, null without mTLS).
     */
    public RequestLabels parties(boolean sourceReporter, WorkloadMetadata peer, DestinationService service,
            String own, String downstreamPrincipal) {
        this.sourceReporter = sourceReporter;
        this.peer = peer;
        this.service = service;
        if (sourceReporter) {
            sourcePrincipal = own;
            destinationPrincipal = peer.identity();
            security = Security.UNKNOWN;
        } else {
            boolean mtls = downstreamPrincipal != null;
            sourcePrincipal = mtls ? downstreamPrincipal : WorkloadMetadata.UNKNOWN_VALUE;
            destinationPrincipal = mtls ? own : WorkloadMetadata.UNKNOWN_VALUE;
            security = mtls ? Security.MUTUAL_TLS : Security.NONE;
        }
        return this;
    }

    /** Call after setting the fields, before a lookup. */
    public RequestLabels seal() {
        hash = Objects.hash(sourceReporter, peer, service, sourcePrincipal, destinationPrincipal, protocol, responseCode,
                responseFlags, grpcStatus, security) * 31 + java.util.Arrays.hashCode(extraValues);
        return this;
    }

    RequestLabels copy() {
        RequestLabels c = new RequestLabels();
        c.sourceReporter = sourceReporter;
        c.peer = peer;
        c.service = service;
        c.sourcePrincipal = sourcePrincipal;
        c.destinationPrincipal = destinationPrincipal;
        c.protocol = protocol;
        c.responseCode = responseCode;
        c.responseFlags = responseFlags;
        c.grpcStatus = grpcStatus;
        c.security = security;
        c.extraTags = extraTags;
        c.extraValues = extraValues.clone();
        c.hash = hash;
        return c;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RequestLabels l && sourceReporter == l.sourceReporter && protocol == l.protocol
                && responseCode == l.responseCode && responseFlags == l.responseFlags && security == l.security
                && peer.equals(l.peer) && service.equals(l.service) && sourcePrincipal.equals(l.sourcePrincipal)
                && destinationPrincipal.equals(l.destinationPrincipal) && grpcStatus.equals(l.grpcStatus)
                && java.util.Arrays.equals(extraTags, l.extraTags) && java.util.Arrays.equals(extraValues, l.extraValues);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
