package dev.weft.xds.listener;

import dev.weft.model.networking.Server;
import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.mesh.ServiceInstances;
import dev.weft.xds.mesh.ServicePort;
import dev.weft.xds.push.PushContext;

/** Gateway server ports: which ones speak HTTP, and which port is actually bound. */
public final class GatewayPorts {

    private GatewayPorts() {
    }

    /**
     * Istio looks the server port up among the gateway workload's Service ports and binds that port's
     * target port (Service 80 to container 8080); an unknown number is bound as it is.
     */
    public static int targetPort(PushContext push, ProxyNode proxy, int serverPort) {
        for (ServiceInstances instances : push.servicesOf(proxy)) {
            for (ServicePort port : instances.service().ports()) {
                if (port.number() == serverPort) {
                    return port.effectiveTargetPort();
                }
            }
        }
        return serverPort;
    }

    static boolean terminatesHttp(Server server) {
        return dev.weft.xds.route.RouteGenerator.isHttpServer(server);
    }
}
