package dev.weft.kube.inject;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.weft.kube.webhook.PodPatch;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.zjsonpatch.JsonPatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Istio's own injection test data ({@code pkg/kube/inject/testdata/inject}): for every input, weft's injected pod
 * keeps the contract of Istio's ({@code *.yaml.injected}) — not its bytes. Same container names (weft keeps
 * {@code istio-init} and {@code istio-proxy}), same order and layout, the same volumes but the ones only Istio's agent
 * uses, the proxy's ports, probes and resources, the capture sets of {@code istio-init}'s arguments, the app
 * containers with their probes rewritten to the agent, the annotations and labels, and every proxy environment
 * variable both set, equal. Inputs Istio refuses are refused. Inputs that need what weft does not have are listed
 * with the reason; a listed one that starts passing fails the test, so the list stays true.
 */
class IstioInjectionConformanceTest {

    private static final Path DATA = Path.of("../../shared/istio/corpus/pkg/kube/inject/testdata/inject");
    private static final String IMAGE = "registry.istio.io/testing/proxyv2:latest";

    /** Volumes of Istio's agent that weft-proxy does not read (SDS over a socket, CRLs). */
    private static final Set<String> ISTIO_ONLY_VOLUMES = Set.of("workload-socket", "credential-socket",
            "workload-certs", "istio-ca-crl");
    /** Environment of Istio's agent that weft-proxy does not read. */
    private static final Set<String> ISTIO_ONLY_ENV = Set.of("PILOT_CERT_PROVIDER", "ISTIO_CPU_LIMIT", "GOMEMLIMIT",
            "ISTIO_META_OWNER", "ISTIO_BOOTSTRAP_OVERRIDE", "ISTIO_META_CERT_SIGNER", "ISTIO_META_DNS_CAPTURE",
            "ISTIO_META_REQUESTED_NETWORK_VIEW", "ISTIO_META_NETWORK", "ISTIO_DELTA_XDS", "ISTIO_META_MESH_ID");

    /** Inputs needing features weft does not have, each with the reason. */
    private static final Map<String, String> UNSUPPORTED = Map.ofEntries(
            Map.entry("custom-template.yaml", "custom injection templates (inject.istio.io/templates)"),
            Map.entry("grpc-agent.yaml", "the grpc-agent template for proxyless gRPC"),
            Map.entry("grpc-simple.yaml", "the grpc-simple template for proxyless gRPC"),
            Map.entry("gateway.yaml", "the gateway template (inject.istio.io/templates: gateway)"),
            Map.entry("gateway-with-default-container.yaml", "the gateway template"),
            Map.entry("gateway-spire.yaml", "the gateway template with SPIRE"),
            Map.entry("sidecar-spire.yaml", "SPIRE's CSI driver for workload certificates"),
            Map.entry("hello-openshift.yaml", "OpenShift's CNI layout (no init container, pod security context)"),
            Map.entry("hello-openshift-custom-injection.yaml", "OpenShift's CNI layout"),
            Map.entry("hello-openshift-tproxy.yaml", "TPROXY interception and OpenShift"),
            Map.entry("kubevirtInterfaces.yaml", "KubeVirt interfaces (istio-iptables -k)"),
            Map.entry("kubevirtInterfaces_list.yaml", "KubeVirt interfaces (istio-iptables -k)"),
            Map.entry("reroute-virtual-interfaces.yaml", "rerouted virtual interfaces (istio-iptables -k)"),
            Map.entry("reroute-virtual-interfaces_list.yaml", "rerouted virtual interfaces (istio-iptables -k)"),
            Map.entry("hello-existing-cncf-networks.yaml", "Multus networks (k8s.v1.cni.cncf.io/networks)"),
            Map.entry("hello-existing-cncf-networks-json.yaml", "Multus networks (k8s.v1.cni.cncf.io/networks)"),
            Map.entry("hello-tracing-disabled.yaml", "tracing settings of the mesh config"),
            Map.entry("format-duration.yaml", "drain and termination durations of the mesh config"),
            Map.entry("hello-probes-localhost.yaml", "inbound traffic policy LOCALHOST"),
            Map.entry("hello-multiport-metrics.yaml", "more than one Prometheus port merged"),
            Map.entry("hello-otel-semconv.yaml", "OpenTelemetry semantic-convention labels"),
            Map.entry("hello-fips-140-3.yaml", "FIPS 140-3 compliance policy"),
            Map.entry("proxy-resources-null.yaml", "null resources from the injection values"),
            Map.entry("proxy-resources-null-no-init.yaml", "null resources from the injection values"),
            Map.entry("proxy-resources-memory-null.yaml", "null resources from the injection values"),
            Map.entry("proxy-resources-mixed-null.yaml", "null resources from the injection values"),
            Map.entry("proxy-resources-zero.yaml", "zero resources from the injection values"),
            Map.entry("hello-template-in-values.yaml", "templates in the injection values"),
            Map.entry("merge-probers.yaml", "injecting an injected pod again (weft leaves it as it is)"));

    private final KubernetesSerialization serialization = new KubernetesSerialization();
    private final ObjectMapper json = new ObjectMapper();

    static Stream<String> inputs() throws IOException {
        try (Stream<Path> files = Files.list(DATA)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(name -> name.endsWith(".yaml") && !name.endsWith(".iop.yaml")).sorted().toList()
                    .stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inputs")
    void keepsIstiosContract(String input) throws Throwable {
        Throwable failure = catchThrowable(() -> check(input));
        String reason = UNSUPPORTED.get(input);
        if (reason == null) {
            if (failure != null) {
                throw failure;
            }
        } else {
            assertThat(failure).as(input + " is listed as unsupported (" + reason + ") but keeps the contract now")
                    .isNotNull();
        }
    }

    /** Istio's test sets these values for some inputs (inject_test.go); the rest use the defaults. */
    private static InjectionSettings settingsFor(String input) {
        InjectionSettings defaults = InjectionSettings.defaults(IMAGE);
        return switch (input) {
            case "traffic-params.yaml" -> defaults.withCapture(new TrafficCapture("127.0.0.1/24,10.96.0.1/24",
                    "10.96.0.2/24,10.96.0.3/24", "*", "4,5,6", "", "", 0));
            case "status_params.yaml" -> defaults.withCapture(new TrafficCapture("*", "", "*", "", "", "", 123))
                    .withReadiness(new InjectionSettings.ProxyReadiness(100, 200, 300));
            case "merge-probers.yaml", "hello-probes-noProxyHoldApplication-ProxyConfig.yaml" ->
                    defaults.withLayout(InjectionSettings.SidecarLayout.NATIVE, true);
            default -> defaults;
        };
    }

    /** inject_test.go sets {@code values.global.proxy_init.image=proxyInitTest}, under Istio's hub and tag. */
    @Test
    void theCapturesImageIsItsOwnSetting() throws IOException {
        check("hello.yaml", "hello.yaml.proxyInitImageName.injected",
                InjectionSettings.defaults(IMAGE).withProxyInitImage("registry.istio.io/testing/proxyInitTest:latest"));
    }

    private void check(String input) throws IOException {
        check(input, input + ".injected", settingsFor(input));
    }

    private void check(String input, String output, InjectionSettings settings) throws IOException {
        SidecarInjector injector = new SidecarInjector(settings);
        List<Workload> inputs = templates(DATA.resolve(input));
        Path expectedFile = DATA.resolve(output);
        if (!Files.exists(expectedFile)) {
            String annotation = input.replace("traffic-annotations-bad-", "").replace(".yaml", "");
            for (Workload workload : inputs) {
                assertThatThrownBy(() -> injector.inject(workload.pod(), workload.name()))
                        .isInstanceOf(InjectionRefused.class).hasMessageContaining(annotation);
            }
            return;
        }
        List<Workload> expected = templates(expectedFile);
        assertThat(inputs).hasSameSizeAs(expected);
        for (int i = 0; i < inputs.size(); i++) {
            Workload in = inputs.get(i);
            Pod want = expected.get(i).pod();
            String namespace = Optional.ofNullable(in.pod().getMetadata().getNamespace()).orElse("default");
            if (!InjectionPolicy.required(in.pod(), namespace, Map.of("istio-injection", "enabled"), "default")) {
                assertThat(annotations(want)).as("Istio did not inject %s either", in.name())
                        .doesNotContainKey(SidecarInjector.STATUS);
                continue;
            }
            Pod got = injector.inject(in.pod(), in.name());
            compare(in.name(), got, want);
            // The webhook's answer, applied to the object as written, gives the same pod.
            JsonNode patched = JsonPatch.apply(PodPatch.between(in.pod(), got), in.raw());
            assertThat(serialization.convertValue(patched, Pod.class)).as(in.name() + " patched").isEqualTo(got);
        }
    }

    private void compare(String name, Pod got, Pod want) throws IOException {
        assertThat(names(got.getSpec().getInitContainers())).as(name + " init containers")
                .isEqualTo(names(want.getSpec().getInitContainers()));
        assertThat(names(got.getSpec().getContainers())).as(name + " containers")
                .isEqualTo(names(want.getSpec().getContainers()));
        assertThat(got.getSpec().getVolumes().stream().map(Volume::getName).toList()).as(name + " volumes")
                .isEqualTo(want.getSpec().getVolumes().stream().map(Volume::getName)
                        .filter(v -> !ISTIO_ONLY_VOLUMES.contains(v)).toList());
        for (Volume volume : got.getSpec().getVolumes()) {
            assertThat(volume).as(name + " volume " + volume.getName())
                    .isEqualTo(want.getSpec().getVolumes().stream().filter(v -> v.getName().equals(volume.getName()))
                            .findFirst().orElseThrow());
        }
        Container gotProxy = container(got, SidecarInjector.PROXY_CONTAINER);
        Container wantProxy = container(want, SidecarInjector.PROXY_CONTAINER);
        assertThat(gotProxy.getImage()).as(name + " proxy image").isEqualTo(wantProxy.getImage());
        assertThat(gotProxy.getRestartPolicy()).as(name + " proxy restartPolicy").isEqualTo(wantProxy.getRestartPolicy());
        assertThat(gotProxy.getPorts()).as(name + " proxy ports").isEqualTo(wantProxy.getPorts());
        assertThat(gotProxy.getReadinessProbe()).as(name + " proxy readiness").isEqualTo(wantProxy.getReadinessProbe());
        assertThat(gotProxy.getStartupProbe()).as(name + " proxy startup probe").isEqualTo(wantProxy.getStartupProbe());
        assertThat(gotProxy.getResources()).as(name + " proxy resources").isEqualTo(wantProxy.getResources());
        assertThat(gotProxy.getSecurityContext()).as(name + " proxy security").isEqualTo(wantProxy.getSecurityContext());
        compareEnv(name, gotProxy.getEnv(), wantProxy.getEnv());
        assertThat(gotProxy.getVolumeMounts()).as(name + " proxy mounts").isEqualTo(wantProxy.getVolumeMounts()
                .stream().filter(m -> !ISTIO_ONLY_VOLUMES.contains(m.getName())).toList());

        if (names(want.getSpec().getInitContainers()).contains(SidecarInjector.INIT_CONTAINER)) {
            compareCapture(name, container(got, SidecarInjector.INIT_CONTAINER),
                    container(want, SidecarInjector.INIT_CONTAINER));
        }
        compareApps(name, got, want);
        compareMetadata(name, got, want);
    }

    private void compareCapture(String name, Container gotInit, Container wantInit) throws IOException {
        assertThat(gotInit.getCommand()).as(name + " init command: the image's entrypoint")
                .isEqualTo(wantInit.getCommand());
        assertThat(gotInit.getArgs()).as(name + " init arguments (istio-iptables')").isEqualTo(wantInit.getArgs());
        assertThat(gotInit.getImage()).as(name + " init image").isEqualTo(wantInit.getImage());
        assertThat(gotInit.getResources()).as(name + " init resources").isEqualTo(wantInit.getResources());
        assertThat(gotInit.getSecurityContext()).as(name + " init security").isEqualTo(wantInit.getSecurityContext());
        compareEnv(name + " init", gotInit.getEnv(), wantInit.getEnv());
    }

    private void compareApps(String name, Pod got, Pod want) {
        for (Container app : got.getSpec().getContainers()) {
            if (!app.getName().equals(SidecarInjector.PROXY_CONTAINER)) {
                assertThat(normalized(app)).as(name + " app container " + app.getName())
                        .isEqualTo(normalized(container(want, app.getName())));
            }
        }
    }

    private void compareMetadata(String name, Pod got, Pod want) throws IOException {
        Map<String, String> gotAnnotations = new HashMap<>(annotations(got));
        Map<String, String> wantAnnotations = new HashMap<>(annotations(want));
        // Istio's record of a pod's container overrides, for its re-injection (which weft does not do).
        wantAnnotations.remove("proxy.istio.io/overrides");
        JsonNode gotStatus = json.readTree(gotAnnotations.remove(SidecarInjector.STATUS));
        JsonNode wantStatus = json.readTree(wantAnnotations.remove(SidecarInjector.STATUS));
        ((ObjectNode) wantStatus).set("volumes", json.valueToTree(json.convertValue(wantStatus.get("volumes"),
                List.class).stream().filter(v -> !ISTIO_ONLY_VOLUMES.contains(v)).toList()));
        assertThat(gotStatus).as(name + " sidecar.istio.io/status").isEqualTo(wantStatus);
        assertThat(gotAnnotations).as(name + " annotations").isEqualTo(wantAnnotations);
        assertThat(got.getMetadata().getLabels()).as(name + " labels").isEqualTo(want.getMetadata().getLabels());
    }

    /** Every variable both set is equal (JSON compared as JSON); the ones only Istio sets are its agent's. */
    private void compareEnv(String name, List<EnvVar> got, List<EnvVar> want) throws IOException {
        Map<String, EnvVar> gotByName = new LinkedHashMap<>();
        (got == null ? List.<EnvVar>of() : got).forEach(e -> gotByName.put(e.getName(), e));
        for (EnvVar wanted : want == null ? List.<EnvVar>of() : want) {
            EnvVar mine = gotByName.get(wanted.getName());
            if (mine == null) {
                assertThat(ISTIO_ONLY_ENV).as(name + " sets no " + wanted.getName()).contains(wanted.getName());
                continue;
            }
            if (wanted.getValue() != null && wanted.getValue().strip().matches("(?s)^[\\[{].*")) {
                assertThat(json.readTree(mine.getValue())).as(name + " env " + wanted.getName())
                        .isEqualTo(json.readTree(wanted.getValue()));
            } else {
                assertThat(mine).as(name + " env " + wanted.getName()).isEqualTo(wanted);
            }
        }
    }

    /** An app container as compared: Go writes {@code resources: {}} where fabric8 writes nothing. */
    private Container normalized(Container container) {
        Container copy = serialization.clone(container);
        if (copy.getResources() != null && (copy.getResources().getLimits() == null
                || copy.getResources().getLimits().isEmpty()) && (copy.getResources().getRequests() == null
                || copy.getResources().getRequests().isEmpty()) && copy.getResources().getClaims().isEmpty()) {
            copy.setResources(null);
        }
        return copy;
    }

    private static Container container(Pod pod, String name) {
        return Stream.concat(Stream.ofNullable(pod.getSpec().getInitContainers()).flatMap(List::stream),
                pod.getSpec().getContainers().stream()).filter(c -> c.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no container " + name));
    }

    private static List<String> names(List<Container> containers) {
        return containers == null ? List.of() : containers.stream().map(Container::getName).toList();
    }

    private static Map<String, String> annotations(Pod pod) {
        return pod.getMetadata().getAnnotations() == null ? Map.of() : pod.getMetadata().getAnnotations();
    }

    /** A pod template and the name of the workload it belongs to. */
    private record Workload(String name, Pod pod, JsonNode raw) {
    }

    /** The pod templates of every document (Deployment, Job, CronJob, Pod, List, ...), in order. */
    private List<Workload> templates(Path file) throws IOException {
        List<Workload> workloads = new ArrayList<>();
        YAMLMapper yaml = new YAMLMapper();
        try (var docs = yaml.readValues(yaml.createParser(file.toFile()), JsonNode.class)) {
            while (docs.hasNext()) {
                collect(docs.next(), workloads);
            }
        }
        return workloads;
    }

    private void collect(JsonNode doc, List<Workload> workloads) {
        if (doc == null || doc.isNull() || doc.isMissingNode()) {
            return;
        }
        String kind = doc.path("kind").asText();
        String name = doc.path("metadata").path("name").asText();
        if (kind.equals("List")) {
            doc.path("items").forEach(item -> collect(item, workloads));
        } else if (kind.equals("Pod")) {
            Pod pod = serialization.convertValue(doc, Pod.class);
            workloads.add(new Workload(WorkloadNames.of(pod), pod, doc));
        } else if (doc.path("spec").has("template")) {
            JsonNode raw = podDocument(doc.path("spec").path("template"), doc);
            Pod pod = serialization.convertValue(raw, Pod.class);
            workloads.add(new Workload(pod.getMetadata().getLabels() != null
                    && pod.getMetadata().getLabels().containsKey(WorkloadNames.WORKLOAD_NAME) ? WorkloadNames.of(pod)
                    : name, pod, raw));
        } else if (doc.path("spec").has("jobTemplate")) {
            // Istio's kube-inject annotates a CronJob's job template, not its pod template (the webhook sees the pod).
            ObjectNode template = doc.path("spec").path("jobTemplate").path("spec").path("template").deepCopy();
            if (doc.path("spec").path("jobTemplate").has("metadata")) {
                template.set("metadata", doc.path("spec").path("jobTemplate").path("metadata"));
            }
            JsonNode raw = podDocument(template, doc);
            workloads.add(new Workload(name, serialization.convertValue(raw, Pod.class), raw));
        }
    }

    /** A pod template as the pod the API server would send: its metadata and spec, the owner's namespace. */
    private static JsonNode podDocument(JsonNode template, JsonNode owner) {
        ObjectNode pod = template.deepCopy();
        pod.put("apiVersion", "v1");
        pod.put("kind", "Pod");
        if (!pod.has("metadata")) {
            pod.putObject("metadata");
        }
        if (owner.path("metadata").has("namespace")) {
            ((ObjectNode) pod.get("metadata")).put("namespace", owner.path("metadata").path("namespace").asText());
        }
        return pod;
    }
}
