package dev.weft.proxy.filter.jwt;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.util.Set;

/**
 * A token taken apart before any check: its JWS header, its claims and its payload segment. Only signed tokens with
 * an algorithm Envoy verifies get this far; {@code alg: none} and anything malformed are failures.
 */
record ParsedToken(String raw, SignedJWT jwt, JWTClaimsSet claims) {

    private static final Set<JWSAlgorithm> SUPPORTED = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
            JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256,
            JWSAlgorithm.ES384, JWSAlgorithm.ES512, JWSAlgorithm.HS256, JWSAlgorithm.HS384, JWSAlgorithm.HS512);

    /** The parsed token, or the failure status of one that cannot be. */
    sealed interface Result {
    }

    record Parsed(ParsedToken token) implements Result {
    }

    record Failed(JwtStatus status) implements Result {
    }

    static Result parse(String raw) {
        if (raw.chars().filter(c -> c == '.').count() != 2) {
            return new Failed(JwtStatus.BAD_FORMAT);
        }
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(raw);
        } catch (ParseException e) {
            // alg none (an unsecured JWT) has no JWS header: it is an algorithm Envoy refuses, not a format error.
            return new Failed(isUnsecured(raw) ? JwtStatus.UNSUPPORTED_ALGORITHM : JwtStatus.BAD_FORMAT);
        }
        if (!SUPPORTED.contains(jwt.getHeader().getAlgorithm())) {
            return new Failed(JwtStatus.UNSUPPORTED_ALGORITHM);
        }
        try {
            return new Parsed(new ParsedToken(raw, jwt, jwt.getJWTClaimsSet()));
        } catch (ParseException e) {
            return new Failed(JwtStatus.BAD_FORMAT);
        }
    }

    private static boolean isUnsecured(String raw) {
        try {
            return JWTParser.parse(raw) instanceof PlainJWT;
        } catch (ParseException e) {
            return false;
        }
    }

    String issuer() {
        return claims.getIssuer();
    }

    /** The payload as sent: base64url of its JSON, without padding. */
    String payloadSegment() {
        return jwt.getParsedParts()[1].toString();
    }
}
