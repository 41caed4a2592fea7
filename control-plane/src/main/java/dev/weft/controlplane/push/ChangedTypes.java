package dev.weft.controlplane.push;

import dev.weft.controlplane.ads.XdsType;
import dev.weft.model.ConfigSnapshot;
import dev.weft.model.Kind;
import dev.weft.xds.mesh.RegistrySnapshot;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;

/**
 * Which xDS types a change between two snapshots can alter, as Istio decides per config kind: VirtualServices and
 * Gateways feed only listeners, routes and the secrets listeners name, so a routing change does not regenerate or
 * resend any proxy's clusters or endpoints. Anything else, or any change in the registry, may alter every type.
 */
final class ChangedTypes {

    private static final Set<Kind> ROUTING = EnumSet.of(Kind.VIRTUAL_SERVICE, Kind.GATEWAY);
    /** A Gateway's servers also decide which credentials its proxy is sent. */
    private static final Set<XdsType> LISTENERS_AND_ROUTES = EnumSet.of(XdsType.LISTENER, XdsType.ROUTE,
            XdsType.SECRET);

    private ChangedTypes() {
    }

    static Set<XdsType> between(ConfigSnapshot before, RegistrySnapshot registryBefore, ConfigSnapshot after,
            RegistrySnapshot registryAfter) {
        if (!registryBefore.equals(registryAfter)) {
            return EnumSet.allOf(XdsType.class);
        }
        Set<Kind> changed = EnumSet.noneOf(Kind.class);
        for (Kind kind : Kind.values()) {
            if (!new HashSet<>(before.ofKind(kind)).equals(new HashSet<>(after.ofKind(kind)))) {
                changed.add(kind);
            }
        }
        if (changed.isEmpty()) {
            return EnumSet.noneOf(XdsType.class);
        }
        return ROUTING.containsAll(changed) ? EnumSet.copyOf(LISTENERS_AND_ROUTES) : EnumSet.allOf(XdsType.class);
    }
}
