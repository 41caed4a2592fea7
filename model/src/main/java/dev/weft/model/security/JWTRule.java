package dev.weft.model.security;

import java.time.Duration;
import java.util.List;

/** One accepted JWT issuer and how to find and verify its tokens. */
public record JWTRule(
    String issuer,
    List<String> audiences,
    String jwksUri,
    String jwks,
    List<JWTHeader> fromHeaders,
    List<String> fromParams,
    List<String> fromCookies,
    String outputPayloadToHeader,
    boolean forwardOriginalToken,
    List<ClaimToHeader> outputClaimToHeaders,
    Duration timeout,
    List<String> spaceDelimitedClaims,
    JwtPresence presence) {}
