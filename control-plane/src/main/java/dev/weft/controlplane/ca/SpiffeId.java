package dev.weft.controlplane.ca;

import java.util.regex.Pattern;

/**
 * A workload identity as Istio names it: {@code spiffe://<trust-domain>/ns/<namespace>/sa/<service-account>}, the
 * URI SAN of the workload's certificate.
 */
public record SpiffeId(String trustDomain, String namespace, String serviceAccount) {

    private static final Pattern FORM = Pattern.compile("spiffe://([^/]+)/ns/([^/]+)/sa/([^/]+)");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");

    public SpiffeId {
        for (String part : new String[] {trustDomain, namespace, serviceAccount}) {
            if (part == null || part.length() > 253 || !LABEL.matcher(part).matches()) {
                throw new IllegalArgumentException("not a SPIFFE ID part: " + part);
            }
        }
    }

    /** Parses {@code spiffe://td/ns/ns/sa/sa}; throws IllegalArgumentException for anything else. */
    public static SpiffeId parse(String uri) {
        var m = FORM.matcher(uri);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a SPIFFE ID of the form spiffe://<td>/ns/<ns>/sa/<sa>: " + uri);
        }
        return new SpiffeId(m.group(1), m.group(2), m.group(3));
    }

    public String uri() {
        return "spiffe://" + trustDomain + "/ns/" + namespace + "/sa/" + serviceAccount;
    }

    @Override
    public String toString() {
        return uri();
    }
}
