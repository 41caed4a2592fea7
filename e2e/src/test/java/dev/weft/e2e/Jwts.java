package dev.weft.e2e;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import java.util.Map;

/** JSON Web Tokens a test mints, as Istio's {@code gen-jwt.py} does (RS256 with a key id), or unsigned. */
final class Jwts {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Jwts() {}

  /** An RS256 token over {@code claims}, signed with {@code key} and naming {@code kid}. */
  static String signed(PrivateKey key, String kid, Map<String, Object> claims) {
    String signingInput = part(Map.of("alg", "RS256", "typ", "JWT", "kid", kid)) + "." + part(claims);
    try {
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initSign(key);
      rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rsa.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A token with {@code alg: none} and an empty signature, which a verifier must never accept. */
  static String unsigned(Map<String, Object> claims) {
    return part(Map.of("alg", "none", "typ", "JWT")) + "." + part(claims) + ".";
  }

  private static String part(Map<String, Object> json) {
    try {
      return Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(json));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
