package dev.weft.xds.authn;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * The key set to inline for a JWT rule that names its keys by URI (or by issuer, through OpenID discovery), as
 * istiod does by default (PILOT_JWT_ENABLE_REMOTE_JWKS=false): the control plane fetches, the proxy gets
 * {@code local_jwks}. Implementations answer from a cache and never fail: keys they cannot get are
 * {@link #failClosed}, a set no token verifies against.
 */
@FunctionalInterface
public interface JwksResolver {

    /** Without a fetcher every URI is unresolved: tokens of such rules are rejected, never let through. */
    JwksResolver UNRESOLVED = (issuer, jwksUri, timeout) -> failClosed(jwksUri.isEmpty() ? issuer : jwksUri);

    /**
     * The JWKS JSON for the rule.
     *
     * @param jwksUri the rule's {@code jwksUri}; empty means discover it from {@code issuer}
     * @param timeout the rule's fetch timeout
     */
    String jwks(String issuer, String jwksUri, Duration timeout);

    /**
     * A key set that rejects every token, made as Istio's: one RSA key whose modulus is the unresolved URI, so no
     * real signature verifies and the proxy's config says which fetch failed.
     */
    static String failClosed(String uri) {
        String modulus = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("Error-IstiodFailedToFetchJwksUri-" + uri).getBytes(StandardCharsets.UTF_8));
        return "{\"keys\":[ {\"e\":\"AQAB\",\"kid\":\"abc\",\"kty\":\"RSA\",\"n\":\"" + modulus + "\"}]}";
    }
}
