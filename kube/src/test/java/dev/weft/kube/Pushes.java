package dev.weft.kube;

import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.weft.controlplane.config.ConfigStore;
import dev.weft.controlplane.push.PushPipeline;
import dev.weft.controlplane.registry.MeshServiceRegistry;
import dev.weft.controlplane.registry.WorkloadSource;
import dev.weft.xds.XdsResources;
import dev.weft.xds.authn.JwksResolver;
import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.push.MeshSettings;
import dev.weft.xds.push.PushContext;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** weftd's push pipeline over a config store and workload source, and the xDS it generates for a proxy. */
final class Pushes {

    static final String DOMAIN = "cluster.local";

    private Pushes() {
    }

    /** weftd's pipeline (short debounce), as {@code Weftd} wires it: the source's workloads are the registry's. */
    static PushPipeline pipeline(ConfigStore config, WorkloadSource workloads) {
        return new PushPipeline(config, new MeshServiceRegistry(List.of(workloads), DOMAIN), MeshSettings.DEFAULT,
                Duration.ofMillis(20), Duration.ofMillis(200), Clock.systemUTC());
    }

    /** weftd's pipeline over a cluster as {@code Weftd} wires it: its config, workloads and credentials. */
    static PushPipeline pipeline(KubeSource kube) {
        return new PushPipeline(kube.config(), new MeshServiceRegistry(List.of(kube.workloads()), DOMAIN),
                MeshSettings.DEFAULT, JwksResolver.UNRESOLVED, kube.credentials(), Duration.ofMillis(20),
                Duration.ofMillis(200), Clock.systemUTC());
    }

    /** Every type of xDS resource the push generates for the proxy: "CDS/outbound|9080||..." to resource. */
    static SortedMap<String, Message> xds(PushContext push, ProxyNode proxy) {
        SortedMap<String, Message> all = new TreeMap<>();
        Map.of("CDS", XdsResources.clusters(push, proxy), "EDS", XdsResources.endpoints(push, proxy),
                "LDS", XdsResources.listeners(push, proxy), "RDS", XdsResources.routes(push, proxy),
                "SDS", XdsResources.secrets(push, proxy))
                .forEach((type, resources) -> resources.forEach((name, r) -> all.put(type + "/" + name, r)));
        return all;
    }

    /** A sidecar of a bookinfo pod, as its node ID and labels name it. */
    static ProxyNode sidecar(String pod, String ip, Map<String, String> labels) {
        return node("sidecar", pod, "default", ip, labels);
    }

    /** A gateway's proxy (Envoy's router) in its pod of {@code namespace}. */
    static ProxyNode gateway(String pod, String namespace, String ip, Map<String, String> labels) {
        return node("router", pod, namespace, ip, labels);
    }

    private static ProxyNode node(String type, String pod, String namespace, String ip, Map<String, String> labels) {
        Struct.Builder values = Struct.newBuilder();
        labels.forEach((k, v) -> values.putFields(k, Value.newBuilder().setStringValue(v).build()));
        return ProxyNode.fromNode(Node.newBuilder()
                .setId(type + "~" + ip + "~" + pod + "." + namespace + "~" + namespace + ".svc.cluster.local")
                .setMetadata(Struct.newBuilder().putFields("LABELS", Value.newBuilder().setStructValue(values).build()))
                .build());
    }
}
