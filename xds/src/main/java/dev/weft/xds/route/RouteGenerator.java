package dev.weft.xds.route;

import dev.weft.model.Resource;
import dev.weft.model.networking.Gateway;
import dev.weft.model.networking.Server;
import dev.weft.model.networking.ServerTLSMode;
import dev.weft.model.networking.VirtualService;
import dev.weft.xds.cluster.ClusterNames;
import dev.weft.xds.cluster.Durations;
import dev.weft.xds.mesh.Protocol;
import dev.weft.xds.listener.GatewayPorts;
import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.mesh.ProxyType;
import dev.weft.xds.mesh.Service;
import dev.weft.xds.mesh.ServiceInstances;
import dev.weft.xds.mesh.ServicePort;
import dev.weft.xds.push.HostMatch;
import dev.weft.xds.push.PushContext;
import io.envoyproxy.envoy.config.route.v3.DirectResponseAction;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * RDS. Sidecars get one route configuration per outbound HTTP port, named by the port ({@code "9080"}),
 * with a virtual host per service and the allow_any or block_all catch-all; a local-runtime sidecar also
 * gets {@value #LOCAL_OUTBOUND} covering every port. Gateways get {@code http.<port>} per server port.
 */
public final class RouteGenerator {

    public static final String LOCAL_OUTBOUND = "local-outbound";

    private RouteGenerator() {
    }

    public static List<RouteConfiguration> generate(PushContext push, ProxyNode proxy) {
        if (proxy.type() == ProxyType.ROUTER) {
            return gatewayRoutes(push, proxy);
        }
        return proxy.proxylessGrpc() ? proxylessRoutes(push, proxy) : sidecarRoutes(push, proxy);
    }

    /** A gRPC client's listener and routes are both named by the target it dials, {@code host:port}. */
    public static String proxylessRouteName(Service service, int port) {
        return service.hostname() + ":" + port;
    }

    private static List<RouteConfiguration> proxylessRoutes(PushContext push, ProxyNode proxy) {
        List<Resource<VirtualService>> virtualServices = push.virtualServices(PushContext.MESH_GATEWAY, proxy.namespace());
        List<RouteConfiguration> configs = new ArrayList<>();
        httpServicesByPort(push, proxy).forEach((port, services) -> {
            RouteContext context = new RouteContext(push, proxy, PushContext.MESH_GATEWAY, port);
            for (ServiceInstances instances : services) {
                VirtualHost host = serviceHost(instances.service(), port, virtualServices, context, proxy,
                        new HashSet<>());
                configs.add(routeConfiguration(proxylessRouteName(instances.service(), port), List.of(host)));
            }
        });
        return configs;
    }

    /** Route names a proxy's listeners refer to; the same logic the listener generator uses. */
    public static String sidecarRouteName(int port) {
        return Integer.toString(port);
    }

    public static String gatewayRouteName(int port) {
        return "http." + port;
    }

    private static List<RouteConfiguration> sidecarRoutes(PushContext push, ProxyNode proxy) {
        Map<Integer, List<ServiceInstances>> byPort = httpServicesByPort(push, proxy);
        List<Resource<VirtualService>> virtualServices = push.virtualServices(PushContext.MESH_GATEWAY, proxy.namespace());
        boolean allowAny = push.sidecarScope(proxy).allowAnyOutbound();
        List<RouteConfiguration> configs = new ArrayList<>();
        Map<Integer, List<VirtualHost>> hostsByPort = new TreeMap<>();
        byPort.forEach((port, services) -> {
            RouteContext context = new RouteContext(push, proxy, PushContext.MESH_GATEWAY, port);
            List<VirtualHost> hosts = new ArrayList<>();
            Set<String> usedDomains = new HashSet<>();
            for (ServiceInstances instances : services) {
                hosts.add(serviceHost(instances.service(), port, virtualServices, context, proxy, usedDomains));
            }
            hostsByPort.put(port, hosts);
            List<VirtualHost> withCatchAll = new ArrayList<>(hosts);
            withCatchAll.add(catchAll(allowAny));
            configs.add(routeConfiguration(sidecarRouteName(port), withCatchAll));
        });
        if (proxy.localPorts().isPresent()) {
            configs.add(localOutbound(hostsByPort, tunnelHosts(push, proxy), allowAny));
        }
        return configs;
    }

    /** HTTP services by port, each port holding the services the Sidecar egress listener for that port admits. */
    static Map<Integer, List<ServiceInstances>> httpServicesByPort(PushContext push, ProxyNode proxy) {
        Map<Integer, List<ServiceInstances>> byPort = new TreeMap<>();
        var scope = push.sidecarScope(proxy);
        for (ServiceInstances instances : push.servicesFor(proxy)) {
            for (ServicePort port : instances.service().ports()) {
                if (port.protocol().isHttp() && scope.admits(instances.service(), port.number())) {
                    byPort.computeIfAbsent(port.number(), p -> new ArrayList<>()).add(instances);
                }
            }
        }
        return byPort;
    }

    private static VirtualHost serviceHost(Service service, int port, List<Resource<VirtualService>> virtualServices,
            RouteContext context, ProxyNode proxy, Set<String> usedDomains) {
        List<Route> routes = new ArrayList<>();
        virtualServiceFor(service.hostname(), virtualServices)
                .ifPresent(vs -> routes.addAll(HttpRouteTranslator.translate(vs, context)));
        if (routes.isEmpty()) {
            routes.add(defaultRoute(service, port, context));
        }
        List<String> domains = new ArrayList<>();
        for (String domain : domainsOf(service, port, proxy.namespace())) {
            if (usedDomains.add(domain)) {
                domains.add(domain);
            }
        }
        return VirtualHost.newBuilder()
                .setName(service.hostname() + ":" + port)
                .addAllDomains(domains)
                .addAllRoutes(routes)
                .setIncludeRequestAttemptCount(true)
                .build();
    }

    /** The oldest VirtualService naming the host exactly, else the most specific wildcard one. */
    static Optional<Resource<VirtualService>> virtualServiceFor(String host, List<Resource<VirtualService>> candidates) {
        Resource<VirtualService> best = null;
        int bestScore = -1;
        for (Resource<VirtualService> vs : candidates) {
            for (String pattern : vs.spec().hosts()) {
                if (HostMatch.matches(pattern, host) && HostMatch.specificity(pattern) > bestScore) {
                    best = vs;
                    bestScore = HostMatch.specificity(pattern);
                }
            }
        }
        return Optional.ofNullable(best).filter(vs -> !vs.spec().http().isEmpty());
    }

    private static Route defaultRoute(Service service, int port, RouteContext context) {
        RouteAction.Builder action = RouteAction.newBuilder()
                .setCluster(ClusterNames.outbound(port, null, service.hostname()))
                .setTimeout(Durations.seconds(0));
        boolean consistentHash = context.push().destinationRule(context.proxy().namespace(), service)
                .map(rule -> rule.policyFor(port, null).usesConsistentHash()).orElse(false);
        context.push().destinationRule(context.proxy().namespace(), service)
                .flatMap(rule -> HashPolicies.of(rule.policyFor(port, null)))
                .ifPresent(action::addHashPolicy);
        RetryPolicies.of(null, consistentHash).ifPresent(action::setRetryPolicy);
        return Route.newBuilder()
                .setName("default")
                .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                .setRoute(action)
                .build();
    }

    /** The names a client may use for a service: FQDN, short forms for Kubernetes hosts, VIPs; each with :port. */
    static List<String> domainsOf(Service service, int port, String clientNamespace) {
        Set<String> names = new LinkedHashSet<>();
        String host = service.hostname();
        names.add(host);
        String kubeSuffix = "." + service.namespace() + ".svc.";
        int at = host.indexOf(kubeSuffix);
        if (at > 0) {
            String name = host.substring(0, at);
            if (service.namespace().equals(clientNamespace)) {
                names.add(name);
            }
            names.add(name + "." + service.namespace());
            names.add(name + "." + service.namespace() + ".svc");
        }
        names.addAll(service.addresses());
        List<String> domains = new ArrayList<>();
        for (String name : names) {
            domains.add(name);
            domains.add(name + ":" + port);
        }
        return domains;
    }

    private static VirtualHost catchAll(boolean allowAny) {
        Route.Builder route = Route.newBuilder().setMatch(RouteMatch.newBuilder().setPrefix("/"));
        if (allowAny) {
            route.setName("allow_any").setRoute(RouteAction.newBuilder()
                    .setCluster(ClusterNames.PASSTHROUGH).setTimeout(Durations.seconds(0)));
        } else {
            route.setName("block_all").setDirectResponse(DirectResponseAction.newBuilder().setStatus(502));
        }
        return VirtualHost.newBuilder()
                .setName(allowAny ? "allow_any" : "block_all")
                .addDomains("*")
                .addRoutes(route)
                .setIncludeRequestAttemptCount(true)
                .build();
    }

    /**
     * Every port's virtual hosts in one table; a bare host name goes to the lowest port that has it. Then the
     * CONNECT tunnels to the mesh's TLS and TCP ports, and the catch-all, which also takes CONNECT: under ALLOW_ANY to
     * any host (the dynamic forward proxy), under REGISTRY_ONLY refused with the 502 that plain requests get.
     */
    private static RouteConfiguration localOutbound(Map<Integer, List<VirtualHost>> hostsByPort,
            List<VirtualHost> tunnels, boolean allowAny) {
        Set<String> used = new HashSet<>();
        List<VirtualHost> hosts = new ArrayList<>();
        hostsByPort.forEach((port, portHosts) -> portHosts.forEach(host -> hosts.add(withUnusedDomains(host, used))));
        tunnels.forEach(host -> hosts.add(withUnusedDomains(host, used)));
        VirtualHost catchAll = catchAll(allowAny);
        Route.Builder connect = Route.newBuilder().setName(catchAll.getName() + "_connect")
                .setMatch(RouteMatch.newBuilder().setConnectMatcher(RouteMatch.ConnectMatcher.getDefaultInstance()));
        if (allowAny) {
            connect.setRoute(tunnel(ClusterNames.PASSTHROUGH));
        } else {
            connect.setDirectResponse(DirectResponseAction.newBuilder().setStatus(502));
        }
        hosts.add(catchAll.toBuilder().addRoutes(0, connect).build());
        return routeConfiguration(LOCAL_OUTBOUND, hosts);
    }

    private static VirtualHost withUnusedDomains(VirtualHost host, Set<String> used) {
        List<String> domains = host.getDomainsList().stream().filter(used::add).toList();
        return host.toBuilder().clearDomains().addAllDomains(domains).build();
    }

    /**
     * For an app whose sidecar is its HTTP proxy: a CONNECT to a TLS or TCP port of a service the proxy sees is a
     * tunnel to that port's cluster (an HTTPS ServiceEntry's endpoints), by the names {@code host:port}.
     */
    private static List<VirtualHost> tunnelHosts(PushContext push, ProxyNode proxy) {
        var scope = push.sidecarScope(proxy);
        List<VirtualHost> hosts = new ArrayList<>();
        for (ServiceInstances instances : push.servicesFor(proxy)) {
            Service service = instances.service();
            for (ServicePort port : service.ports()) {
                if (port.protocol().isHttp() || port.protocol() == Protocol.UDP
                        || !scope.admits(service, port.number())) {
                    continue;
                }
                List<String> domains = domainsOf(service, port.number(), proxy.namespace()).stream()
                        .filter(d -> d.endsWith(":" + port.number())).toList();
                hosts.add(VirtualHost.newBuilder()
                        .setName(service.hostname() + ":" + port.number() + "_connect")
                        .addAllDomains(domains)
                        .addRoutes(Route.newBuilder().setName("connect")
                                .setMatch(RouteMatch.newBuilder()
                                        .setConnectMatcher(RouteMatch.ConnectMatcher.getDefaultInstance()))
                                .setRoute(tunnel(ClusterNames.outbound(port.number(), null, service.hostname()))))
                        .build());
            }
        }
        return hosts;
    }

    /** Envoy's CONNECT termination: the route's payload goes to the cluster as TCP. */
    private static RouteAction tunnel(String cluster) {
        return RouteAction.newBuilder()
                .setCluster(cluster)
                .setTimeout(Durations.seconds(0))
                .addUpgradeConfigs(RouteAction.UpgradeConfig.newBuilder().setUpgradeType("CONNECT")
                        .setConnectConfig(RouteAction.UpgradeConfig.ConnectConfig.getDefaultInstance()))
                .build();
    }

    private static RouteConfiguration routeConfiguration(String name, List<VirtualHost> hosts) {
        return RouteConfiguration.newBuilder()
                .setName(name)
                .addAllVirtualHosts(hosts)
                .setValidateClusters(com.google.protobuf.BoolValue.of(false))
                .build();
    }

    /** One route table per bound port, named by it, as the gateway's listeners share one per bound port. */
    private static List<RouteConfiguration> gatewayRoutes(PushContext push, ProxyNode proxy) {
        Map<Integer, List<GatewayServer>> byBoundPort = new TreeMap<>();
        for (GatewayServer server : GatewayServer.httpServers(push, proxy)) {
            byBoundPort.computeIfAbsent(GatewayPorts.targetPort(push, proxy, server.server().port().number()),
                    p -> new ArrayList<>()).add(server);
        }
        List<RouteConfiguration> configs = new ArrayList<>();
        byBoundPort.forEach((bound, servers) -> {
            Map<String, List<Route>> routesByHost = new TreeMap<>();
            Map<String, Set<Integer>> portsByHost = new TreeMap<>();
            Map<String, Boolean> redirectToTls = new TreeMap<>();
            for (GatewayServer server : servers) {
                int port = server.server().port().number();
                RouteContext context = new RouteContext(push, proxy, server.gatewayKey(), port);
                for (Resource<VirtualService> vs : push.virtualServices(server.gatewayKey(), server.gateway().namespace())) {
                    if (vs.spec().http().isEmpty()) {
                        continue;
                    }
                    for (String host : server.hostsFor(vs)) {
                        List<Route> routes = routesByHost.computeIfAbsent(host, h -> new ArrayList<>());
                        routes.addAll(HttpRouteTranslator.translate(vs, context));
                        portsByHost.computeIfAbsent(host, h -> new TreeSet<>()).add(port);
                        if (server.server().tls() != null && server.server().tls().httpsRedirect()) {
                            redirectToTls.put(host, true);
                        }
                    }
                }
                if (server.server().tls() != null && server.server().tls().httpsRedirect()) {
                    // As Istio: every host of a redirecting server redirects, whether a VirtualService names it or not.
                    for (String host : server.dnsNames()) {
                        routesByHost.computeIfAbsent(host, h -> new ArrayList<>());
                        portsByHost.computeIfAbsent(host, h -> new TreeSet<>()).add(port);
                        redirectToTls.put(host, true);
                    }
                }
            }
            List<VirtualHost> hosts = new ArrayList<>();
            routesByHost.forEach((host, routes) -> {
                Set<Integer> serverPorts = portsByHost.get(host);
                VirtualHost.Builder vhost = VirtualHost.newBuilder()
                        .setName(host + ":" + serverPorts.iterator().next())
                        .addDomains(host);
                if (!host.equals("*")) {
                    serverPorts.forEach(p -> vhost.addDomains(host + ":" + p));
                }
                vhost.addAllRoutes(routes).setIncludeRequestAttemptCount(true);
                if (redirectToTls.containsKey(host)) {
                    vhost.setRequireTls(VirtualHost.TlsRequirementType.ALL);
                }
                hosts.add(vhost.build());
            });
            configs.add(routeConfiguration(gatewayRouteName(bound), hosts));
        });
        return configs;
    }

    /** Whether a gateway server terminates HTTP (plain, or TLS it terminates itself). */
    public static boolean isHttpServer(Server server) {
        Protocol protocol = Protocol.parse(server.port().protocol());
        if (protocol.isHttp()) {
            return true;
        }
        return protocol == Protocol.HTTPS && server.tls() != null
                && server.tls().mode() != ServerTLSMode.PASSTHROUGH
                && server.tls().mode() != ServerTLSMode.AUTO_PASSTHROUGH;
    }

    /** The hosts of {@code vs} that a gateway server admits; empty when the VirtualService does not attach to it. */
    public static List<String> attachedHosts(Resource<Gateway> gateway, Server server, Resource<VirtualService> vs) {
        return new GatewayServer(gateway, server).hostsFor(vs);
    }

    /** A gateway's server, for the proxy the gateway selects. */
    record GatewayServer(Resource<Gateway> gateway, Server server) {

        String gatewayKey() {
            return gateway.namespace() + "/" + gateway.name();
        }

        static List<GatewayServer> httpServers(PushContext push, ProxyNode proxy) {
            List<GatewayServer> servers = new ArrayList<>();
            for (Resource<Gateway> gateway : push.gatewaysFor(proxy)) {
                for (Server server : gateway.spec().servers()) {
                    if (server.port() != null && isHttpServer(server)) {
                        servers.add(new GatewayServer(gateway, server));
                    }
                }
            }
            return servers;
        }

        /** The server's hosts without their namespace part. */
        List<String> dnsNames() {
            return server.hosts().stream().map(h -> h.substring(h.indexOf('/') + 1)).distinct().toList();
        }

        /** The VS hosts this server admits ({@code [namespace/]dnsName} entries); a VS "*" takes the server's hosts. */
        List<String> hostsFor(Resource<VirtualService> vs) {
            Set<String> hosts = new LinkedHashSet<>();
            for (String entry : server.hosts()) {
                int slash = entry.indexOf('/');
                String namespace = slash < 0 ? "*" : entry.substring(0, slash);
                String pattern = slash < 0 ? entry : entry.substring(slash + 1);
                boolean namespaceOk = namespace.equals("*")
                        || (namespace.equals(".") && vs.namespace().equals(gateway.namespace()))
                        || namespace.equals(vs.namespace());
                if (!namespaceOk) {
                    continue;
                }
                for (String host : vs.spec().hosts()) {
                    if (HostMatch.matches(pattern, host)) {
                        hosts.add(host);
                    } else if (HostMatch.matches(host, pattern)) {
                        hosts.add(pattern);
                    }
                }
            }
            return List.copyOf(hosts);
        }
    }
}
