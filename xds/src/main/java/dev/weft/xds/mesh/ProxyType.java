package dev.weft.xds.mesh;

/** The role of a proxy, the first field of an Istio node ID. */
public enum ProxyType {
    SIDECAR, ROUTER;

    static ProxyType parse(String value) {
        return switch (value) {
            case "sidecar" -> SIDECAR;
            case "router" -> ROUTER;
            default -> throw new IllegalArgumentException(
                    "proxy type \"" + value + "\" is neither \"sidecar\" nor \"router\"");
        };
    }
}
