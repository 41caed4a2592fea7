package dev.weft.cli;

import static dev.weft.cli.ConfigDump.field;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The rows of {@code weft proxy-config secrets}, istioctl's columns, from the {@code SecretsConfigDump} of an
 * admin {@code /config_dump}: one row per certificate chain or trust bundle, with the validity of its leaf. Beyond
 * istioctl, the identity the leaf proves (its URI SAN: the workload's SPIFFE ID) and the chain: how many
 * certificates it holds and who issued its last one.
 */
final class SecretRows {

  static final List<String> HEADER =
      List.of("RESOURCE NAME", "TYPE", "STATUS", "VALID CERT", "SERIAL NUMBER", "NOT AFTER", "NOT BEFORE", "IDENTITY",
          "CHAIN");

  private SecretRows() {
  }

  /** One secret of the dump, with where the dump files it: STATIC, ACTIVE or WARMING. */
  record DumpedSecret(String status, JsonNode entry) {}

  static List<DumpedSecret> secrets(JsonNode dump) {
    List<DumpedSecret> secrets = new ArrayList<>();
    for (JsonNode config : ConfigDump.configsOfType(dump, "SecretsConfigDump")) {
      collect(config, secrets, "STATIC", "static_secrets", "staticSecrets");
      collect(config, secrets, "ACTIVE", "dynamic_active_secrets", "dynamicActiveSecrets");
      collect(config, secrets, "WARMING", "dynamic_warming_secrets", "dynamicWarmingSecrets");
    }
    return secrets;
  }

  static List<List<String>> rows(JsonNode dump, Instant now) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(HEADER);
    for (DumpedSecret dumped : secrets(dump)) {
      JsonNode secret = dumped.entry().path("secret");
      String name = dumped.entry().path("name").asText(secret.path("name").asText());
      JsonNode chain = field(field(secret, "tls_certificate", "tlsCertificate"), "certificate_chain", "certificateChain");
      JsonNode trusted = field(field(secret, "validation_context", "validationContext"), "trusted_ca", "trustedCa");
      if (!chain.isMissingNode()) {
        rows.add(row(name, "Cert Chain", dumped.status(), chain, now));
      }
      if (!trusted.isMissingNode()) {
        rows.add(row(name, "CA", dumped.status(), trusted, now));
      }
      if (chain.isMissingNode() && trusted.isMissingNode()) {
        rows.add(List.of(name, "-", dumped.status(), "false", "-", "-", "-", "-", "-"));
      }
    }
    return rows;
  }

  private static void collect(JsonNode config, List<DumpedSecret> into, String status, String... keys) {
    field(config, keys).forEach(s -> into.add(new DumpedSecret(status, s)));
  }

  private static List<String> row(String name, String type, String status, JsonNode source, Instant now) {
    List<X509Certificate> chain = certificates(source);
    if (chain.isEmpty()) {
      return List.of(name, type, status, "false", "-", "-", "-", "-", "-");
    }
    X509Certificate leaf = chain.getFirst();
    Instant notBefore = leaf.getNotBefore().toInstant();
    Instant notAfter = leaf.getNotAfter().toInstant();
    boolean valid = !now.isBefore(notBefore) && !now.isAfter(notAfter);
    String issuer = chain.getLast().getIssuerX500Principal().getName();
    return List.of(name, type, status, Boolean.toString(valid), leaf.getSerialNumber().toString(16),
        notAfter.truncatedTo(ChronoUnit.SECONDS).toString(), notBefore.truncatedTo(ChronoUnit.SECONDS).toString(),
        uriSan(leaf), chain.size() + " (issued by " + (issuer.isEmpty() ? "-" : issuer) + ")");
  }

  private static String uriSan(X509Certificate certificate) {
    try {
      var names = certificate.getSubjectAlternativeNames();
      if (names != null) {
        for (List<?> name : names) {
          if (Integer.valueOf(6).equals(name.get(0))) {
            return String.valueOf(name.get(1));
          }
        }
      }
    } catch (CertificateException e) {
      return "-";
    }
    return "-";
  }

  /** The certificates of a DataSource as the dump shows it: inline PEM bytes (base64) or an inline string. */
  private static List<X509Certificate> certificates(JsonNode source) {
    byte[] pem;
    JsonNode bytes = field(source, "inline_bytes", "inlineBytes");
    JsonNode text = field(source, "inline_string", "inlineString");
    try {
      if (!bytes.isMissingNode()) {
        pem = Base64.getDecoder().decode(bytes.asText());
      } else if (!text.isMissingNode()) {
        pem = text.asText().getBytes(StandardCharsets.US_ASCII);
      } else {
        return List.of();
      }
      List<X509Certificate> chain = new ArrayList<>();
      CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem))
          .forEach(c -> chain.add((X509Certificate) c));
      return chain;
    } catch (IllegalArgumentException | CertificateException e) {
      return List.of();
    }
  }
}
