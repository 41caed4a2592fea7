package dev.weft.proxy.filter.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import java.security.Key;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * Envoy's checks of one parsed token against one provider, in its order: issuer, time window (with the clock
 * skew), audiences, then the signature with a key of the set that fits the token's {@code kid} and algorithm.
 */
final class TokenVerifier {

    private static final DefaultJWSVerifierFactory VERIFIERS = new DefaultJWSVerifierFactory();

    private TokenVerifier() {
    }

    static JwtStatus verify(JwtProvider provider, ParsedToken token, JWKSet keys, Instant now) {
        if (!provider.issuer().isEmpty() && !provider.issuer().equals(token.issuer())) {
            return JwtStatus.UNKNOWN_ISSUER;
        }
        long skew = provider.clockSkew().toSeconds();
        Date nbf = token.claims().getNotBeforeTime();
        if (nbf != null && now.getEpochSecond() + skew < nbf.toInstant().getEpochSecond()) {
            return JwtStatus.NOT_YET_VALID;
        }
        Date exp = token.claims().getExpirationTime();
        if (exp != null && now.getEpochSecond() > exp.toInstant().getEpochSecond() + skew) {
            return JwtStatus.EXPIRED;
        }
        if (!provider.audiences().isEmpty()) {
            List<String> aud = token.claims().getAudience();
            if (aud.stream().noneMatch(provider.audiences()::contains)) {
                return JwtStatus.AUDIENCE_NOT_ALLOWED;
            }
        }
        return verifySignature(token, keys);
    }

    private static JwtStatus verifySignature(ParsedToken token, JWKSet keys) {
        JWSAlgorithm alg = token.jwt().getHeader().getAlgorithm();
        String kid = token.jwt().getHeader().getKeyID();
        boolean anyKey = false;
        for (JWK jwk : keys.getKeys()) {
            if ((kid != null && jwk.getKeyID() != null && !kid.equals(jwk.getKeyID()))
                    || (jwk.getAlgorithm() != null && !jwk.getAlgorithm().equals(alg))) {
                continue;
            }
            Key key = javaKey(jwk, alg);
            if (key == null) {
                continue;
            }
            anyKey = true;
            try {
                JWSVerifier verifier = VERIFIERS.createJWSVerifier(token.jwt().getHeader(), key);
                if (token.jwt().verify(verifier)) {
                    return JwtStatus.OK;
                }
            } catch (JOSEException | IllegalStateException e) {
                // This key cannot check this token (e.g. an RSA key too short for the algorithm): try the next.
            }
        }
        return anyKey ? JwtStatus.VERIFICATION_FAILED : JwtStatus.NO_MATCHING_KEY;
    }

    /** The key as Java needs it, when its type fits the algorithm's family. */
    private static Key javaKey(JWK jwk, JWSAlgorithm alg) {
        try {
            if (jwk instanceof RSAKey rsa && JWSAlgorithm.Family.RSA.contains(alg)) {
                return rsa.toRSAPublicKey();
            }
            if (jwk instanceof ECKey ec && JWSAlgorithm.Family.EC.contains(alg)) {
                return ec.toECPublicKey();
            }
            if (jwk instanceof OctetSequenceKey oct && JWSAlgorithm.Family.HMAC_SHA.contains(alg)) {
                return oct.toSecretKey();
            }
        } catch (JOSEException e) {
            return null;
        }
        return null;
    }
}
