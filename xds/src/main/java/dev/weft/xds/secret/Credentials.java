package dev.weft.xds.secret;

import java.util.Map;
import java.util.Optional;

/** The TLS credentials of one push by name, as the control plane read them. Immutable. */
public record Credentials(Map<String, Credential> byName) {

    public static final Credentials NONE = new Credentials(Map.of());

    public Credentials {
        byName = Map.copyOf(byName);
    }

    public Optional<Credential> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public boolean isEmpty() {
        return byName.isEmpty();
    }
}
