package dev.weft.model.networking;

import java.util.Optional;

/**
 * What a {@code credentialName} names: a Secret of the gateway workload's own namespace, as Istio looks it up
 * ({@code name}, or {@code namespace/name} with that same namespace). A reference to another namespace is never
 * served to an Istio Gateway (istiod's SDS refuses unverified cross-namespace secrets).
 *
 * @param namespace the namespace the reference spells out, if any
 */
public record CredentialReference(Optional<String> namespace, String name) {

  public static CredentialReference parse(String credentialName) {
    int slash = credentialName.indexOf('/');
    return slash < 0 ? new CredentialReference(Optional.empty(), credentialName)
        : new CredentialReference(Optional.of(credentialName.substring(0, slash)),
            credentialName.substring(slash + 1));
  }

  /** Whether a workload in {@code namespace} may be given the credential: it names no other namespace. */
  public boolean visibleFrom(String namespace) {
    return this.namespace.map(namespace::equals).orElse(true);
  }
}
