package dev.weft.xds.push;

import java.util.Objects;

/**
 * The mesh-wide settings the translation needs (a slice of Istio's MeshConfig).
 *
 * @param allowAnyOutbound meshConfig.outboundTrafficPolicy: true for ALLOW_ANY (Istio's default)
 */
public record MeshSettings(String rootNamespace, String domainSuffix, boolean allowAnyOutbound) {

    public static final MeshSettings DEFAULT = new MeshSettings("istio-system", "cluster.local", true);

    public MeshSettings {
        Objects.requireNonNull(rootNamespace, "rootNamespace");
        Objects.requireNonNull(domainSuffix, "domainSuffix");
    }
}
