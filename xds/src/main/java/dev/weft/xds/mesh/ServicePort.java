package dev.weft.xds.mesh;

import java.util.Objects;

/**
 * A port of a mesh service. {@code targetPort} is where workloads listen when they do not name the port
 * themselves; 0 means "same as number".
 */
public record ServicePort(String name, int number, Protocol protocol, int targetPort) {

    public ServicePort {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(protocol, "protocol");
        if (number < 1 || number > 65535) {
            throw new IllegalArgumentException("port number " + number + " is not in 1-65535");
        }
    }

    public static ServicePort of(String name, int number, Protocol protocol) {
        return new ServicePort(name, number, protocol, 0);
    }

    public int effectiveTargetPort() {
        return targetPort == 0 ? number : targetPort;
    }
}
