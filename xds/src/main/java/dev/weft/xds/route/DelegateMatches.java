package dev.weft.xds.route;

import dev.weft.model.networking.HTTPMatchRequest;
import dev.weft.model.networking.StringMatch;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Combines a root rule's matches with a delegate rule's, as Istio does: each delegate match must narrow some root
 * match (a field it sets wins, others are inherited). A pair that conflicts (the delegate would widen or
 * contradict the root) is skipped; a delegate match that fits no root match drops the whole delegate rule.
 */
final class DelegateMatches {

    private DelegateMatches() {
    }

    /** The merged matches, or empty when the delegate rule conflicts with the root and must be ignored. */
    static Optional<List<HTTPMatchRequest>> merge(List<HTTPMatchRequest> root, List<HTTPMatchRequest> delegate) {
        if (root.isEmpty()) {
            return Optional.of(delegate);
        }
        if (delegate.isEmpty()) {
            return Optional.of(root);
        }
        List<HTTPMatchRequest> merged = new ArrayList<>();
        for (HTTPMatchRequest d : delegate) {
            boolean fits = false;
            for (HTTPMatchRequest r : root) {
                if (!conflicts(r, d)) {
                    merged.add(narrow(r, d));
                    fits = true;
                }
            }
            if (!fits) {
                return Optional.empty();
            }
        }
        return Optional.of(merged);
    }

    private static HTTPMatchRequest narrow(HTTPMatchRequest r, HTTPMatchRequest d) {
        return new HTTPMatchRequest(
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
                d.statPrefix().isEmpty() ? r.statPrefix() : d.statPrefix());
    }

    /** Whether the delegate match {@code d} is not within the root match {@code r}. */
    private static boolean conflicts(HTTPMatchRequest r, HTTPMatchRequest d) {
        if (conflicts(r.uri(), d.uri()) || conflicts(r.scheme(), d.scheme()) || conflicts(r.method(), d.method())
                || conflicts(r.authority(), d.authority())
                || conflicts(r.headers(), d.headers()) || conflicts(r.withoutHeaders(), d.withoutHeaders())
                || conflicts(r.queryParams(), d.queryParams())) {
            return true;
        }
        if (r.ignoreUriCase() != d.ignoreUriCase() || (r.port() > 0 && d.port() > 0 && r.port() != d.port())) {
            return true;
        }
        if (!r.sourceNamespace().isEmpty() && !r.sourceNamespace().equals(d.sourceNamespace())) {
            return true;
        }
        boolean labelsDiffer = d.sourceLabels().entrySet().stream()
                .anyMatch(e -> r.sourceLabels().containsKey(e.getKey())
                        && !r.sourceLabels().get(e.getKey()).equals(e.getValue()));
        boolean gatewaysWiden = !r.gateways().isEmpty() && !d.gateways().isEmpty()
                && !new HashSet<>(r.gateways()).containsAll(d.gateways());
        return labelsDiffer || gatewaysWiden;
    }

    private static boolean conflicts(Map<String, StringMatch> root, Map<String, StringMatch> delegate) {
        return delegate.entrySet().stream().anyMatch(e -> conflicts(root.get(e.getKey()), e.getValue()));
    }

    /**
     * Unset on either side never conflicts. A regex on one side admits nothing on the other; an exact root needs
     * the same exact value; a prefix root needs a delegate prefix or exact value that starts with it.
     */
    private static boolean conflicts(StringMatch root, StringMatch delegate) {
        if (root == null || delegate == null) {
            return false;
        }
        if (isSet(root.regex()) || isSet(delegate.regex())) {
            return true;
        }
        if (isSet(root.exact())) {
            return !Objects.equals(root.exact(), delegate.exact());
        }
        if (isSet(root.prefix())) {
            String narrower = isSet(delegate.prefix()) ? delegate.prefix() : delegate.exact();
            return narrower == null || !narrower.startsWith(root.prefix());
        }
        return true;
    }

    private static boolean isSet(String value) {
        return value != null && !value.isEmpty();
    }

    private static <V> Map<String, V> union(Map<String, V> root, Map<String, V> delegate) {
        Map<String, V> merged = new LinkedHashMap<>(root);
        merged.putAll(delegate);
        return merged;
    }
}
