package dev.weft.model.validation;

import dev.weft.model.networking.ServerTLSMode;
import dev.weft.model.networking.ServerTLSSettings;

/** ServerTLSSettings rules for gateway servers. */
final class ServerTls {
  private static final int MAX_CREDENTIAL_NAMES = 2;

  private ServerTls() {}

  static void check(ServerTLSSettings tls, String path, Findings findings) {
    if (tls == null) {
      return;
    }
    boolean files = !tls.serverCertificate().isEmpty() || !tls.privateKey().isEmpty()
        || !tls.caCertificates().isEmpty();
    boolean credentials = !tls.credentialName().isEmpty() || !tls.credentialNames().isEmpty();
    boolean certificates = !tls.tlsCertificates().isEmpty();
    if ((files ? 1 : 0) + (credentials ? 1 : 0) + (certificates ? 1 : 0) > 1) {
      findings.error(path, "only one of certificate files, credentialName(s) or tlsCertificates may be set");
    }
    if (!tls.credentialName().isEmpty() && !tls.credentialNames().isEmpty()) {
      findings.error(path, "only one of credentialName or credentialNames may be set");
    }
    if (tls.credentialNames().size() > MAX_CREDENTIAL_NAMES) {
      findings.error(path + ".credentialNames", "Too many: " + tls.credentialNames().size()
          + ": must have at most " + MAX_CREDENTIAL_NAMES + " items");
    }
    ServerTLSMode mode = tls.mode();
    if (mode == ServerTLSMode.ISTIO_MUTUAL) {
      if (files || credentials || certificates) {
        findings.error(path, "ISTIO_MUTUAL TLS cannot have associated private key, server certificate, or ca certificates");
      }
      return;
    }
    boolean terminating = mode == ServerTLSMode.SIMPLE || mode == ServerTLSMode.MUTUAL
        || mode == ServerTLSMode.OPTIONAL_MUTUAL;
    if (terminating && !credentials && !certificates) {
      if (tls.serverCertificate().isEmpty()) {
        findings.error(path + ".serverCertificate", mode + " TLS requires a server certificate");
      }
      if (tls.privateKey().isEmpty()) {
        findings.error(path + ".privateKey", mode + " TLS requires a private key");
      }
      if (mode != ServerTLSMode.SIMPLE && tls.caCertificates().isEmpty()) {
        findings.error(path + ".caCertificates", mode + " TLS requires a client CA bundle");
      }
    }
    if (tls.minProtocolVersion().ordinal() > 0 && tls.maxProtocolVersion().ordinal() > 0
        && tls.minProtocolVersion().ordinal() > tls.maxProtocolVersion().ordinal()) {
      findings.error(path, "Protocol minimum version " + tls.minProtocolVersion()
          + " is greater than the maximum " + tls.maxProtocolVersion());
    }
  }
}
