package dev.weft.controlplane.push;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import dev.weft.controlplane.ads.ResourceGenerator;
import dev.weft.controlplane.ads.XdsType;
import dev.weft.xds.XdsResources;
import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.push.PushContext;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Supplier;

/** Serves the xds module's generators from the pipeline's current PushContext. */
public final class PushContextGenerator implements ResourceGenerator {

    private final Supplier<PushContext> current;

    public PushContextGenerator(Supplier<PushContext> current) {
        this.current = current;
    }

    @Override
    public SortedMap<String, Any> generate(ProxyNode proxy, XdsType type) {
        PushContext push = current.get();
        SortedMap<String, Message> resources = switch (type) {
            case CLUSTER -> XdsResources.clusters(push, proxy);
            case ENDPOINT -> XdsResources.endpoints(push, proxy);
            case LISTENER -> XdsResources.listeners(push, proxy);
            case ROUTE -> XdsResources.routes(push, proxy);
        };
        SortedMap<String, Any> packed = new TreeMap<>();
        resources.forEach((name, resource) -> packed.put(name, Any.pack(resource)));
        return packed;
    }
}
