package dev.weft.xds.telemetry;

import dev.weft.model.telemetry.AccessLogging;
import dev.weft.model.telemetry.ProviderRef;
import dev.weft.model.telemetry.Telemetry;
import dev.weft.model.telemetry.WorkloadMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which access log providers a proxy's listeners of one direction write to, merged from its Telemetry levels as
 * Istio's {@code mergeLogs} does. The providers in scope are those the narrowest level that names any (for this
 * direction) names, else {@code meshConfig.defaultProviders.accessLogging}. Then every entry, widest level first,
 * turns its providers (or, naming none, the providers of the entry before it) on with the filter last set for
 * them, or off when {@code disabled}; entries whose {@code match.mode} is not this direction's are skipped.
 */
public final class AccessLoggingPolicy {

    /** A provider that logs, with the CEL filter expression Telemetry set for it; empty: every request. */
    public record ProviderLog(String provider, Optional<String> filter) {
    }

    private AccessLoggingPolicy() {
    }

    /**
     * The providers that log, sorted by name; an empty list when Telemetry turned logging off. Empty when neither a
     * Telemetry resource nor {@code defaultProviders} configures access logging: meshConfig's accessLogFile applies.
     *
     * @param mode CLIENT for a sidecar's outbound listeners and for gateways, SERVER for a sidecar's inbound ones
     */
    public static Optional<List<ProviderLog>> resolve(TelemetryLevels levels, List<String> defaultProviders,
            WorkloadMode mode) {
        List<List<AccessLogging>> logs = levels.widestFirst().stream().map(Telemetry::accessLogging)
                .filter(l -> l != null && !l.isEmpty()).toList();
        if (logs.isEmpty()) {
            return defaultProviders.isEmpty() ? Optional.empty()
                    : Optional.of(defaultProviders.stream().sorted().distinct()
                            .map(p -> new ProviderLog(p, Optional.empty())).toList());
        }
        Set<String> inScope = new LinkedHashSet<>(defaultProviders);
        Map<String, Optional<String>> filters = new HashMap<>();
        for (List<AccessLogging> level : logs) {
            Set<String> named = new LinkedHashSet<>();
            for (AccessLogging entry : level) {
                if (matches(entry, mode)) {
                    named.addAll(names(entry));
                    names(entry).forEach(p -> filters.put(p, filter(entry)));
                }
            }
            if (!named.isEmpty()) {
                inScope = named;
            }
        }
        Map<String, Optional<String>> enabled = new TreeMap<>();
        List<String> parent = defaultProviders;
        for (List<AccessLogging> level : logs) {
            for (AccessLogging entry : level) {
                List<String> providers = names(entry).isEmpty() ? parent : names(entry);
                parent = providers;
                for (String provider : providers) {
                    if (!inScope.contains(provider) || !matches(entry, mode)) {
                        continue;
                    }
                    if (Boolean.TRUE.equals(entry.disabled())) {
                        enabled.remove(provider);
                    } else {
                        enabled.put(provider, filters.getOrDefault(provider, Optional.empty()));
                    }
                }
            }
        }
        List<ProviderLog> result = new ArrayList<>();
        enabled.forEach((provider, filter) -> result.add(new ProviderLog(provider, filter)));
        return Optional.of(List.copyOf(result));
    }

    /** No match, or CLIENT_AND_SERVER (the default), selects both directions. */
    private static boolean matches(AccessLogging entry, WorkloadMode mode) {
        WorkloadMode selected = entry.match() == null ? null : entry.match().mode();
        return selected == null || selected == WorkloadMode.CLIENT_AND_SERVER || selected == mode;
    }

    private static List<String> names(AccessLogging entry) {
        return entry.providers() == null ? List.of() : entry.providers().stream().map(ProviderRef::name).toList();
    }

    private static Optional<String> filter(AccessLogging entry) {
        return entry.filter() == null || entry.filter().expression() == null || entry.filter().expression().isBlank()
                ? Optional.empty() : Optional.of(entry.filter().expression());
    }
}
