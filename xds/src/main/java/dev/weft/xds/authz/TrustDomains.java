package dev.weft.xds.authz;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The mesh's trust domain and its aliases (Istio's trustdomain.Bundle): a policy naming an identity in one of
 * them, or in {@code cluster.local} (which stands for the local trust domain), covers the same identity in all.
 *
 * @param domains the trust domain first, then its aliases
 */
record TrustDomains(List<String> domains) {

    private static final String CLUSTER_LOCAL = "cluster.local";

    TrustDomains {
        domains = List.copyOf(domains);
    }

    static TrustDomains of(String trustDomain, List<String> aliases) {
        List<String> domains = new ArrayList<>();
        domains.add(trustDomain);
        domains.addAll(aliases);
        return new TrustDomains(domains);
    }

    /**
     * Principals ({@code <td>/ns/<ns>/sa/<sa>}) with the trust domain replaced by each of the bundle's when it is
     * one of them (or matches one as a {@code *td} / {@code td*} pattern) or {@code cluster.local}. A principal
     * that is not in that form, or whose trust domain is {@code *}, already matches any trust domain.
     */
    List<String> withAliases(List<String> principals) {
        List<String> out = new ArrayList<>();
        for (String principal : principals) {
            String[] parts = principal.split("/", -1);
            if (parts.length != 5 || parts[0].equals("*")) {
                out.add(principal);
                continue;
            }
            String trustDomain = parts[0];
            if (domains.stream().noneMatch(d -> matches(trustDomain, d)) && !trustDomain.equals(CLUSTER_LOCAL)) {
                out.add(principal);
                continue;
            }
            LinkedHashSet<String> replaced = new LinkedHashSet<>();
            for (String domain : domains) {
                // A suffix pattern covering this domain (*-td for old-td) stays a pattern, written once.
                replaced.add(suffixMatch(domain, trustDomain) ? principal
                        : domain + principal.substring(trustDomain.length()));
            }
            out.addAll(replaced);
        }
        return out;
    }

    /** Trust domain values with each of the bundle's expanded to all of them, without duplicates. */
    List<String> expand(List<String> values) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String value : values) {
            if (domains.contains(value)) {
                out.addAll(domains);
            } else {
                out.add(value);
            }
        }
        return List.copyOf(out);
    }

    /** Istio's stringMatch: equal, {@code *}, or a prefix or suffix pattern on either side. */
    private static boolean matches(String a, String b) {
        return a.equals(b) || b.equals("*") || prefixMatch(a, b) || prefixMatch(b, a) || suffixMatch(a, b)
                || suffixMatch(b, a);
    }

    private static boolean prefixMatch(String value, String pattern) {
        return pattern.endsWith("*") && value.startsWith(pattern.substring(0, pattern.length() - 1));
    }

    private static boolean suffixMatch(String value, String pattern) {
        return pattern.startsWith("*") && value.endsWith(pattern.substring(1));
    }
}
