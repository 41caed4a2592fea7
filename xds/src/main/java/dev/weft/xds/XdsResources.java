package dev.weft.xds;

import com.google.protobuf.Message;
import dev.weft.xds.cluster.ClusterGenerator;
import dev.weft.xds.endpoint.EndpointGenerator;
import dev.weft.xds.listener.ListenerGenerator;
import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.push.PushContext;
import dev.weft.xds.route.RouteGenerator;
import dev.weft.xds.secret.SecretGenerator;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

/** The generators behind one entry point: resources by name for one proxy and one push. */
public final class XdsResources {

    private XdsResources() {
    }

    public static SortedMap<String, Message> clusters(PushContext push, ProxyNode proxy) {
        return byName(ClusterGenerator.generate(push, proxy), c -> c.getName());
    }

    public static SortedMap<String, Message> endpoints(PushContext push, ProxyNode proxy) {
        return byName(EndpointGenerator.generate(push, proxy), c -> c.getClusterName());
    }

    public static SortedMap<String, Message> listeners(PushContext push, ProxyNode proxy) {
        return byName(ListenerGenerator.generate(push, proxy), l -> l.getName());
    }

    public static SortedMap<String, Message> routes(PushContext push, ProxyNode proxy) {
        return byName(RouteGenerator.generate(push, proxy), r -> r.getName());
    }

    public static SortedMap<String, Message> secrets(PushContext push, ProxyNode proxy) {
        return byName(SecretGenerator.generate(push, proxy), s -> s.getName());
    }

    private static <T extends Message> SortedMap<String, Message> byName(Iterable<T> resources, Function<T, String> name) {
        SortedMap<String, Message> byName = new TreeMap<>();
        resources.forEach(r -> byName.put(name.apply(r), r));
        return byName;
    }
}
