package dev.weft.proxy.filter.jwt;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * One compiled {@code JwtProvider}: which tokens it accepts (issuer, audiences, clock skew, keys), where it finds
 * them, and what a verified token leaves behind (the forwarded or removed token, the payload and claim headers,
 * the payload in dynamic metadata).
 *
 * @param issuer the required {@code iss}, or empty for any
 * @param audiences accepted {@code aud} values; empty accepts any
 * @param payloadHeader header that gets the base64url payload, or null
 * @param payloadInMetadata key of the payload in the filter's dynamic metadata, or null
 * @param spaceDelimitedClaims string claims given to the metadata as lists of their space-separated words
 */
record JwtProvider(String name, String issuer, Set<String> audiences, List<TokenLocation> locations, boolean forward,
        String payloadHeader, List<ClaimHeader> claimHeaders, String payloadInMetadata,
        Set<String> spaceDelimitedClaims, Duration clockSkew, JwksSource keys) {

    /** {@code claim_to_headers}: the claim (a dotted path for nested claims) copied into a request header. */
    record ClaimHeader(String header, String claim) {
    }

    JwtProvider {
        audiences = Set.copyOf(audiences);
        locations = List.copyOf(locations);
        claimHeaders = List.copyOf(claimHeaders);
        spaceDelimitedClaims = Set.copyOf(spaceDelimitedClaims);
    }
}
