package dev.weft.model.validation;

import dev.weft.model.security.ClaimToHeader;
import dev.weft.model.security.JWTHeader;
import dev.weft.model.security.JWTRule;
import dev.weft.model.security.RequestAuthentication;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Istio's validation rules for RequestAuthentication (SEMANTICS §7, CRD schema rules). */
final class RequestAuthenticationValidator {
  private static final String HEADER_REGEX = "^[-_A-Za-z0-9]+$";
  private static final Pattern HEADER = Pattern.compile(HEADER_REGEX);
  private static final int MAX_JWKS_URI = 2048;

  private RequestAuthenticationValidator() {}

  static void validate(RequestAuthentication policy, Findings findings) {
    PolicyTargets.check(policy.selector(), policy.targetRef(), policy.targetRefs(), findings);
    for (int i = 0; i < policy.jwtRules().size(); i++) {
      checkRule(policy.jwtRules().get(i), "spec.jwtRules[" + i + "]", findings);
    }
  }

  private static void checkRule(JWTRule rule, String path, Findings findings) {
    if (rule.issuer().isEmpty()) {
      findings.required(path + ".issuer");
    }
    nonEmptyItems(rule.audiences(), path + ".audiences", findings);
    if (!rule.jwksUri().isEmpty()) {
      String scheme = rule.jwksUri().toLowerCase(Locale.ROOT);
      if (!scheme.startsWith("http://") && !scheme.startsWith("https://")) {
        findings.error(path + ".jwksUri", "Invalid value: \"" + rule.jwksUri()
            + "\": url must have scheme http:// or https://");
      }
      if (rule.jwksUri().length() > MAX_JWKS_URI) {
        findings.error(path + ".jwksUri", "Too long: may not be longer than " + MAX_JWKS_URI);
      }
    }
    if (!rule.jwks().isEmpty() && !rule.jwksUri().isEmpty()) {
      findings.error(path, "only one of jwks or jwksUri can be set");
    }
    for (int i = 0; i < rule.fromHeaders().size(); i++) {
      JWTHeader header = rule.fromHeaders().get(i);
      requiredNonEmpty(header.name(), path + ".fromHeaders[" + i + "].name", findings);
    }
    nonEmptyItems(rule.fromParams(), path + ".fromParams", findings);
    nonEmptyItems(rule.fromCookies(), path + ".fromCookies", findings);
    for (int i = 0; i < rule.outputClaimToHeaders().size(); i++) {
      ClaimToHeader claim = rule.outputClaimToHeaders().get(i);
      String claimPath = path + ".outputClaimToHeaders[" + i + "]";
      requiredNonEmpty(claim.claim(), claimPath + ".claim", findings);
      if (requiredNonEmpty(claim.header(), claimPath + ".header", findings)
          && !HEADER.matcher(claim.header()).matches()) {
        findings.error(claimPath + ".header", "Invalid value: \"" + claim.header() + "\": " + claimPath
            + ".header in body should match '" + HEADER_REGEX + "'");
      }
    }
    if (!rule.outputPayloadToHeader().isEmpty() && !HEADER.matcher(rule.outputPayloadToHeader()).matches()) {
      findings.error(path + ".outputPayloadToHeader", "Invalid value: \"" + rule.outputPayloadToHeader() + "\": "
          + path + ".outputPayloadToHeader in body should match '" + HEADER_REGEX + "'");
    }
    if (rule.timeout() != null && rule.timeout().compareTo(Duration.ofMillis(1)) < 0) {
      findings.error(path + ".timeout", "Invalid value: \"" + Durations.text(rule.timeout())
          + "\": must be a valid duration greater than 1ms");
    }
    nonEmptyItems(rule.spaceDelimitedClaims(), path + ".spaceDelimitedClaims", findings);
  }

  /** @return whether the value is present and non-empty */
  private static boolean requiredNonEmpty(String value, String path, Findings findings) {
    if (!value.isEmpty()) {
      return true;
    }
    if (findings.present(path)) {
      findings.error(path, "Invalid value: \"\": " + path + " in body should be at least 1 chars long");
    } else {
      findings.required(path);
    }
    return false;
  }

  private static void nonEmptyItems(List<String> items, String path, Findings findings) {
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i).isEmpty()) {
        String itemPath = path + "[" + i + "]";
        findings.error(itemPath, "Invalid value: \"\": " + itemPath + " in body should be at least 1 chars long");
      }
    }
  }
}
