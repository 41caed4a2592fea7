package dev.weft.xds.secret;

import java.util.Map;
import java.util.Optional;

/**
 * The TLS credentials of one push, as the control plane read them. Immutable. A credential is mesh-wide, keyed by its
 * name (weft's credentials directory), or a namespace's, keyed {@code namespace/name} (a cluster's Secret, which only
 * the workloads of its namespace are given, as Istio gives a gateway the Secrets of its own namespace).
 */
public record Credentials(Map<String, Credential> byName) {

    public static final Credentials NONE = new Credentials(Map.of());

    public Credentials {
        byName = Map.copyOf(byName);
    }

    /** The key of a namespace's credential. */
    public static String key(String namespace, String name) {
        return namespace + "/" + name;
    }

    /** The credential {@code name} for a workload in {@code namespace}: its namespace's, else a mesh-wide one. */
    public Optional<Credential> find(String namespace, String name) {
        return Optional.ofNullable(byName.get(key(namespace, name))).or(() -> Optional.ofNullable(byName.get(name)));
    }

    public boolean isEmpty() {
        return byName.isEmpty();
    }
}
