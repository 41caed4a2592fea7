package dev.weft.proxy.tls;

import dev.weft.proxy.config.ConfigError;
import dev.weft.proxy.config.ConfigException;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The SDS secrets in force (Envoy's secret manager), from the bootstrap or pushed over ADS; a push never removes
 * one. Listeners and clusters look them up by name when they are compiled; who uses a changed secret is compiled
 * again by its owner, so new connections get the new certificate and open ones keep theirs.
 */
public final class SecretManager {

    /** What an update changed, and what it rejected (a rejected secret keeps its last good version). */
    public record Update(Set<String> changed, List<ConfigError> errors) {
    }

    private final Clock clock;
    private volatile Map<String, TlsSecret> secrets = Map.of();
    private volatile Map<String, Secret> protos = Map.of();
    private final Set<String> staticNames = ConcurrentHashMap.newKeySet();
    private final Map<String, Instant> updated = new ConcurrentHashMap<>();

    public SecretManager(Clock clock) {
        this.clock = clock;
    }

    /** Adds or replaces secrets; {@code dynamic} is false for the bootstrap's static ones. */
    public synchronized Update apply(List<Secret> incoming, boolean dynamic) {
        List<ConfigError> errors = new ArrayList<>();
        Map<String, TlsSecret> next = new HashMap<>(secrets);
        Map<String, Secret> accepted = new LinkedHashMap<>(protos);
        Set<String> changed = new TreeSet<>();
        for (Secret p : incoming) {
            if (p.equals(accepted.get(p.getName()))) {
                continue;
            }
            try {
                next.put(p.getName(), TlsSecret.compile(p));
                accepted.put(p.getName(), p);
                changed.add(p.getName());
                if (!dynamic) {
                    staticNames.add(p.getName());
                }
            } catch (ConfigException e) {
                errors.add(new ConfigError("secret", p.getName(), e.getMessage()));
            }
        }
        if (!changed.isEmpty()) {
            secrets = Map.copyOf(next);
            protos = accepted;
            Instant now = clock.instant();
            changed.forEach(name -> updated.put(name, now));
        }
        return new Update(Set.copyOf(changed), errors);
    }

    /** The secrets as they are now, for compiling a listener or cluster. */
    public SecretLookup lookup() {
        Map<String, TlsSecret> now = secrets;
        return now::get;
    }

    /** The protos in force, for /config_dump. */
    public Map<String, Secret> protos() {
        return protos;
    }

    public boolean isStatic(String name) {
        return staticNames.contains(name);
    }

    /** When the secret last changed, or the epoch if it never arrived. */
    public Instant lastUpdated(String name) {
        return updated.getOrDefault(name, Instant.EPOCH);
    }
}
