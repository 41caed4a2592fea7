package dev.weft.xds.route;

import dev.weft.model.networking.HTTPMatchRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Combines a root rule's matches with a delegate rule's: each pair becomes one match where the delegate's
 * conditions narrow the root's (the delegate must be a subset; a field it sets wins, others are inherited).
 */
final class DelegateMatches {

    private DelegateMatches() {
    }

    static List<HTTPMatchRequest> merge(List<HTTPMatchRequest> root, List<HTTPMatchRequest> delegate) {
        if (root.isEmpty()) {
            return delegate;
        }
        if (delegate.isEmpty()) {
            return root;
        }
        List<HTTPMatchRequest> merged = new ArrayList<>();
        for (HTTPMatchRequest r : root) {
            for (HTTPMatchRequest d : delegate) {
                merged.add(new HTTPMatchRequest(
                        d.name().isEmpty() ? r.name() : d.name(),
                        d.uri() != null ? d.uri() : r.uri(),
                        d.scheme() != null ? d.scheme() : r.scheme(),
                        d.method() != null ? d.method() : r.method(),
                        d.authority() != null ? d.authority() : r.authority(),
                        union(r.headers(), d.headers()),
                        d.port() != 0 ? d.port() : r.port(),
                        union(r.sourceLabels(), d.sourceLabels()),
                        d.gateways().isEmpty() ? r.gateways() : d.gateways(),
                        union(r.queryParams(), d.queryParams()),
                        d.ignoreUriCase() || r.ignoreUriCase(),
                        union(r.withoutHeaders(), d.withoutHeaders()),
                        d.sourceNamespace().isEmpty() ? r.sourceNamespace() : d.sourceNamespace(),
                        d.statPrefix().isEmpty() ? r.statPrefix() : d.statPrefix()));
            }
        }
        return merged;
    }

    private static <V> Map<String, V> union(Map<String, V> root, Map<String, V> delegate) {
        Map<String, V> merged = new LinkedHashMap<>(root);
        merged.putAll(delegate);
        return merged;
    }
}
