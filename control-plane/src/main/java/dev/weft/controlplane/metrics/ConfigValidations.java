package dev.weft.controlplane.metrics;

import dev.weft.controlplane.config.ValidationObserver;
import dev.weft.model.ConfigError;
import dev.weft.model.Kind;
import dev.weft.model.Resource;
import dev.weft.model.load.LoadResult;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * istiod's validation webhook metrics for the config weftd loads: {@code galley_validation_passed} for every resource
 * without an error, {@code galley_validation_failed} for every one with an error ({@code reason="invalid_resource"})
 * and for every document that did not even read as a known resource ({@code reason="yaml_decode_error"}, its group,
 * version and resource unknown, so empty). Labelled as istiod's: {@code group}, {@code version}, {@code resource}
 * (the plural, {@code virtualservices}). A directory reload validates every file in it again, so each counts again.
 */
final class ConfigValidations implements ValidationObserver {

    private static final String INVALID_RESOURCE = "invalid_resource";
    private static final String YAML_DECODE_ERROR = "yaml_decode_error";

    private final Counter passed;
    private final Counter failed;

    ConfigValidations(MetricRegistry registry) {
        passed = Counter.register(registry, "galley_validation_passed", "Resource is valid",
                "group", "version", "resource");
        failed = Counter.register(registry, "galley_validation_failed", "Resource validation failed",
                "group", "version", "resource", "reason");
    }

    @Override
    public void validated(LoadResult result) {
        Set<Resource<?>> accepted = Collections.newSetFromMap(new IdentityHashMap<>());
        accepted.addAll(result.accepted());
        Set<String> bound = new LinkedHashSet<>();
        for (Resource<?> resource : result.resources()) {
            bound.add(resource.displayName());
            String version = resource.apiVersion().substring(resource.apiVersion().indexOf('/') + 1);
            String plural = plural(resource.kind());
            if (accepted.contains(resource)) {
                passed.labels(resource.kind().group(), version, plural).inc();
            } else {
                failed.labels(resource.kind().group(), version, plural, INVALID_RESOURCE).inc();
            }
        }
        // One failure per document that never became a resource: its findings name its file and line.
        result.errors().stream().filter(ConfigError::isError).filter(e -> !bound.contains(e.resource()))
                .map(e -> e.file() + ":" + e.line()).distinct()
                .forEach(document -> failed.labels("", "", "", YAML_DECODE_ERROR).inc());
    }

    /** The Kubernetes resource name of a kind: {@code virtualservices}, {@code serviceentries}. */
    static String plural(Kind kind) {
        String singular = kind.kindName().toLowerCase(Locale.ROOT);
        return singular.endsWith("y") ? singular.substring(0, singular.length() - 1) + "ies" : singular + "s";
    }
}
