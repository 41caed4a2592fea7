package dev.weft.kube;

import dev.weft.kube.config.IstioKinds;
import dev.weft.model.Kind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A cluster's objects made through the API, with this class doing what the mock API server's missing controllers
 * would: pods for Deployments (IPs, Ready conditions, a node) and the EndpointSlices of Services.
 */
final class KubeCluster {

    static final Path ISTIO = Path.of(System.getProperty("weft.shared.dir", "../../shared"), "istio", "corpus");
    static final Path BOOKINFO = ISTIO.resolve("samples/bookinfo/platform/kube/bookinfo.yaml");
    static final Path DESTINATION_RULES = ISTIO.resolve("samples/bookinfo/networking/destination-rule-all.yaml");
    static final String NAMESPACE = "default";
    static final String NODE = "node-a";
    static final String REGION = "eu-west";
    static final String ZONE = "eu-west-1a";

    private final KubernetesClient client;
    private final AtomicInteger nextIp = new AtomicInteger(10);

    KubeCluster(KubernetesClient client) {
        this.client = client;
    }

    /** Istio's own CRDs, so the API server serves (and knows the status subresource of) every Istio kind. */
    KubeCluster withIstioCrds() throws IOException {
        try (InputStream crds = Files.newInputStream(ISTIO.resolve("manifests/charts/base/files/crd-all.gen.yaml"))) {
            client.load(crds).items().forEach(crd -> client.resource(crd).create());
        }
        return this;
    }

    KubeCluster withNode() {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName(NODE)
                .addToLabels("topology.kubernetes.io/region", REGION).addToLabels("topology.kubernetes.io/zone", ZONE)
                .endMetadata().build()).create();
        return this;
    }

    /** The objects of a YAML file in {@link #NAMESPACE}; Istio kinds in the apiVersion the file gives them. */
    KubeCluster apply(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            for (HasMetadata object : client.load(in).items()) {
                object.getMetadata().setNamespace(NAMESPACE);
                client.resource(object).create();
            }
        }
        return this;
    }

    /** Bookinfo's Services, ServiceAccounts and Deployments, a ready pod per replica and the Services' slices. */
    KubeCluster withBookinfo() throws IOException {
        apply(BOOKINFO);
        for (Deployment deployment : client.apps().deployments().inNamespace(NAMESPACE).list().getItems()) {
            for (int i = 0; i < deployment.getSpec().getReplicas(); i++) {
                pod(deployment, deployment.getMetadata().getName() + "-" + i, true);
            }
        }
        syncSlices();
        return this;
    }

    /** A pod of the Deployment's template, on the node, Ready or not; its IP is the next free one. */
    Pod pod(Deployment deployment, String name, boolean ready) {
        return client.pods().resource(new PodBuilder().withNewMetadata().withName(name).withNamespace(NAMESPACE)
                .withLabels(deployment.getSpec().getTemplate().getMetadata().getLabels()).endMetadata()
                .withNewSpec().withServiceAccountName(deployment.getSpec().getTemplate().getSpec().getServiceAccountName())
                .withNodeName(NODE).endSpec()
                .withNewStatus().withPodIP("10.1.0." + nextIp.getAndIncrement())
                .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
                .endStatus().build()).create();
    }

    Deployment deployment(String name) {
        return client.apps().deployments().inNamespace(NAMESPACE).withName(name).get();
    }

    /**
     * What the EndpointSlice controller does: one slice per Service with a selector, with its pods and their
     * readiness.
     */
    void syncSlices() {
        for (Service service : client.services().inNamespace(NAMESPACE).list().getItems()) {
            Map<String, String> selector = service.getSpec().getSelector();
            if (selector == null || selector.isEmpty()) {
                continue;
            }
            List<Pod> pods = client.pods().inNamespace(NAMESPACE).withLabels(selector).list().getItems();
            EndpointSlice slice = new EndpointSliceBuilder().withNewMetadata()
                    .withName(service.getMetadata().getName() + "-slice").withNamespace(NAMESPACE)
                    .addToLabels("kubernetes.io/service-name", service.getMetadata().getName()).endMetadata()
                    .withAddressType("IPv4")
                    .withPorts(service.getSpec().getPorts().stream().map(p -> new EndpointPortBuilder()
                            .withName(p.getName()).withPort(p.getPort()).withProtocol("TCP").build()).toList())
                    .withEndpoints(pods.stream().map(pod -> new EndpointBuilder()
                            .withAddresses(pod.getStatus().getPodIP()).withNodeName(pod.getSpec().getNodeName())
                            .withNewConditions().withReady(ready(pod)).endConditions()
                            .withNewTargetRef().withKind("Pod").withName(pod.getMetadata().getName())
                            .withNamespace(NAMESPACE).endTargetRef().build()).toList())
                    .build();
            client.discovery().v1().endpointSlices().resource(slice).createOr(existing -> existing.update());
        }
    }

    private static boolean ready(Pod pod) {
        return pod.getStatus().getConditions().stream()
                .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
    }

    /**
     * A Service {@code name} in the namespace selecting its one ready pod {@code name-0} (on the node, at {@code ip},
     * labelled {@code labels}), port http 80, and the Service's EndpointSlice.
     */
    void servedPod(String namespace, String name, String ip, Map<String, String> labels) {
        client.services().inNamespace(namespace).resource(new ServiceBuilder().withNewMetadata().withName(name)
                .endMetadata().withNewSpec().withSelector(labels).addNewPort().withName("http").withPort(80)
                .endPort().endSpec().build()).create();
        client.pods().inNamespace(namespace).resource(new PodBuilder().withNewMetadata().withName(name + "-0")
                .withLabels(labels).endMetadata().withNewSpec().withNodeName(NODE).endSpec()
                .withNewStatus().withPodIP(ip).addNewCondition().withType("Ready").withStatus("True").endCondition()
                .endStatus().build()).create();
        client.discovery().v1().endpointSlices().inNamespace(namespace).resource(new EndpointSliceBuilder()
                .withNewMetadata().withName(name + "-slice").addToLabels("kubernetes.io/service-name", name)
                .endMetadata().withAddressType("IPv4").addNewPort().withName("http").withPort(80).withProtocol("TCP")
                .endPort().addNewEndpoint().withAddresses(ip).withNodeName(NODE).withNewConditions().withReady(true)
                .endConditions().withNewTargetRef().withKind("Pod").withName(name + "-0").withNamespace(namespace)
                .endTargetRef().endEndpoint().build()).create();
    }

    /** An Istio resource written as YAML, created or replaced through the generic API in its apiVersion. */
    GenericKubernetesResource istio(String yaml) {
        return istio(NAMESPACE, yaml);
    }

    /** As {@link #istio(String)}, in {@code namespace}. */
    GenericKubernetesResource istio(String namespace, String yaml) {
        GenericKubernetesResource resource = client.getKubernetesSerialization().unmarshal(yaml,
                GenericKubernetesResource.class);
        resource.getMetadata().setNamespace(namespace);
        Kind kind = Kind.find(resource.getApiVersion().substring(0, resource.getApiVersion().indexOf('/')),
                resource.getKind()).orElseThrow();
        String version = resource.getApiVersion().substring(resource.getApiVersion().indexOf('/') + 1);
        var resources = client.genericKubernetesResources(IstioKinds.context(kind, version)).inNamespace(namespace);
        GenericKubernetesResource existing = resources.withName(resource.getMetadata().getName()).get();
        if (existing == null) {
            return resources.resource(resource).create();
        }
        resource.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
        return resources.resource(resource).update();
    }
}
