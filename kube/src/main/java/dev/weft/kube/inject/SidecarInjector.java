package dev.weft.kube.inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Istio's sidecar injection for weft, a pure function: a pod, its workload's name and the injection settings give
 * the pod with the capture init container ({@code istio-init}, running {@code weft-proxy istio-iptables --apply}) and
 * the proxy ({@code istio-proxy}, running {@code weft-proxy sidecar}), both from the proxy image whose one command is
 * {@code weft-proxy}, as Istio's are pilot-agent's — Istio's container names, so {@code kubectl logs -c
 * istio-proxy}, dashboards and scripts written for Istio keep working — its identity volumes, ports, rewritten app
 * probes, labels and annotations. The pod given is not changed.
 */
public final class SidecarInjector {

    public static final String STATUS = "sidecar.istio.io/status";
    public static final String INIT_CONTAINER = "istio-init";
    public static final String PROXY_CONTAINER = "istio-proxy";
    private static final String PROXY_IMAGE = "sidecar.istio.io/proxyImage";
    /** Istio's {@code values.global.logging.level}, what istio-init logs unless the pod's agentLogLevel says. */
    private static final String AGENT_LOG_LEVELS = "default:info";
    /** The volumes weft-proxy reads: bootstrap, data, pod info, the CA token, the mesh root. */
    public static final List<String> VOLUMES = List.of("istio-envoy", "istio-data", "istio-podinfo", "istio-token",
            "istiod-ca-cert");
    static final int HEALTH_PORT = 15021;
    static final int PROMETHEUS_PORT = 15090;
    /** Where Prometheus scrapes the proxy's and the app's metrics merged (the mesh's status port, fixed). */
    static final int MERGED_METRICS_PORT = 15020;
    /** Kubernetes label values are at most 63 characters. */
    private static final int LABEL_VALUE_MAX = 63;

    private final InjectionSettings settings;
    private final KubernetesSerialization serialization = new KubernetesSerialization();
    private final ObjectMapper json = new ObjectMapper();

    public SidecarInjector(InjectionSettings settings) {
        this.settings = settings;
    }

    public InjectionSettings settings() {
        return settings;
    }

    /**
     * The injected copy of {@code pod}. {@code workloadName} is its controller's name (a Deployment's, not the
     * ReplicaSet's), used when no label names the canonical service.
     */
    public Pod inject(Pod pod, String workloadName) {
        Pod injected = serialization.clone(pod);
        Map<String, String> annotations = new LinkedHashMap<>(InjectionPolicy.annotations(injected));
        Map<String, String> labels = new LinkedHashMap<>(InjectionPolicy.labels(injected));
        TrafficCapture capture = TrafficCapture.of(annotations, settings.capture());
        String mode = annotations.getOrDefault("sidecar.istio.io/interceptionMode", "REDIRECT");
        if (!mode.equals("REDIRECT") && !mode.equals("NONE")) {
            throw new InjectionRefused("sidecar.istio.io/interceptionMode " + mode
                    + ": weft captures with REDIRECT (or not at all: NONE)");
        }
        String templates = annotations.getOrDefault("inject.istio.io/templates", "sidecar");
        if (!TrafficCapture.split(templates).stream().allMatch("sidecar"::equals)) {
            throw new InjectionRefused("inject.istio.io/templates " + templates
                    + ": weft injects Istio's sidecar template only");
        }
        List<Volume> userVolumes = userEntries(annotations, "sidecar.istio.io/userVolume", Volume.class);
        List<VolumeMount> userMounts = userEntries(annotations, "sidecar.istio.io/userVolumeMount", VolumeMount.class);
        Map<String, Object> proxyConfig = proxyConfig(annotations);
        boolean hold = settings.holdApplicationUntilProxyStarts()
                || Boolean.TRUE.equals(proxyConfig.get("holdApplicationUntilProxyStarts"));
        boolean nativeSidecar = switch (annotations.getOrDefault("sidecar.istio.io/nativeSidecar", "")) {
            case "true" -> true;
            case "false" -> false;
            default -> settings.layout() == InjectionSettings.SidecarLayout.NATIVE;
        };

        List<Container> apps = new ArrayList<>(injected.getSpec().getContainers());
        List<Container> podInits = new ArrayList<>(injected.getSpec().getInitContainers() == null ? List.of()
                : injected.getSpec().getInitContainers());
        ContainerOverrides overrides = new ContainerOverrides(apps, Set.of(INIT_CONTAINER, PROXY_CONTAINER));
        overrides = overrides.and(new ContainerOverrides(podInits, Set.of(INIT_CONTAINER, PROXY_CONTAINER)));
        Map<String, Map<String, Object>> probers = Map.of();
        boolean rewrite = !"false".equals(annotations.get("sidecar.istio.io/rewriteAppHTTPProbers"));
        if (rewrite && capture.statusPort() != 0) {
            AppProbes probes = new AppProbes(capture.statusPort());
            apps.forEach(probes::rewrite);
            // Sidecars of the app's own (native, restartPolicy Always) are probed by the kubelet too.
            podInits.stream().filter(c -> "Always".equals(c.getRestartPolicy())).forEach(probes::rewrite);
            probers = probes.probers();
        }
        Map<String, String> prometheus = mergePrometheus(annotations);

        Map<String, String> resources = resources(annotations);
        Container proxy = overrides.apply(proxyContainer(injected, apps, capture, mode, proxyConfig, resources,
                probers, prometheus, workloadName, nativeSidecar, hold, userMounts), serialization);
        List<Container> inits = new ArrayList<>();
        if (mode.equals("REDIRECT")) {
            // The proxy may run as another user (an override): its traffic is the one let out.
            long uid = Optional.ofNullable(proxy.getSecurityContext()).map(SecurityContext::getRunAsUser)
                    .orElse(InjectionSettings.PROXY_UID);
            String logLevels = annotations.getOrDefault("sidecar.istio.io/agentLogLevel", AGENT_LOG_LEVELS);
            inits.add(overrides.apply(captureContainer(annotations, capture.iptablesArgs(uid, logLevels),
                    proxyConfig, resources), serialization));
        }
        if (nativeSidecar) {
            inits.add(proxy);
        }
        List<String> addedInits = inits.stream().map(Container::getName).toList();
        inits.addAll(podInits);
        injected.getSpec().setInitContainers(inits);
        if (!nativeSidecar) {
            if (hold) {
                apps.addFirst(proxy);
            } else {
                apps.add(proxy);
            }
        }
        injected.getSpec().setContainers(apps);
        List<Volume> volumes = new ArrayList<>(volumes());
        volumes.addAll(userVolumes);
        List<String> addedVolumes = volumes.stream().map(Volume::getName).toList();
        if (injected.getSpec().getVolumes() != null) {
            volumes.addAll(injected.getSpec().getVolumes());
        }
        injected.getSpec().setVolumes(volumes);

        injected.getSpec().getContainers().stream().map(Container::getName)
                .filter(name -> !name.equals(PROXY_CONTAINER)).findFirst().ifPresent(firstApp -> {
                    annotations.putIfAbsent("kubectl.kubernetes.io/default-container", firstApp);
                    annotations.putIfAbsent("kubectl.kubernetes.io/default-logs-container", firstApp);
                });
        annotations.put(InjectionPolicy.REVISION, settings.revision());
        annotations.put(STATUS, status(addedInits, nativeSidecar ? null : List.of(PROXY_CONTAINER), addedVolumes));
        // A pod may say it does not take mTLS yet (disabled): clients then send it plain text.
        labels.putIfAbsent("security.istio.io/tlsMode", "istio");
        labels.put("service.istio.io/canonical-name", truncate(first(labels, workloadName,
                "service.istio.io/canonical-name", "app.kubernetes.io/name", "app")));
        labels.put("service.istio.io/canonical-revision", truncate(first(labels, "latest",
                "service.istio.io/canonical-revision", "app.kubernetes.io/version", "version")));
        injected.getMetadata().setAnnotations(annotations);
        injected.getMetadata().setLabels(labels);
        return injected;
    }

    /**
     * Istio's metrics merge: unless the pod opts out ({@code prometheus.io/scrape: "false"}), Prometheus scrapes the
     * agent, which serves the proxy's metrics and the app's (its original annotations, returned for the proxy).
     */
    private static Map<String, String> mergePrometheus(Map<String, String> annotations) {
        if ("false".equals(annotations.get("prometheus.io/scrape"))
                || "false".equals(annotations.get("prometheus.io.scrape"))) {
            return Map.of();
        }
        Map<String, String> original = new LinkedHashMap<>();
        for (String field : List.of("scrape", "path", "port")) {
            String value = annotations.get("prometheus.io/" + field);
            if (value != null) {
                original.put(field, value);
            }
        }
        annotations.put("prometheus.io/path", "/stats/prometheus");
        annotations.put("prometheus.io/port", Integer.toString(MERGED_METRICS_PORT));
        annotations.put("prometheus.io/scrape", "true");
        return original;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> proxyConfig(Map<String, String> annotations) {
        String config = annotations.get("proxy.istio.io/config");
        if (config == null || config.isBlank()) {
            return Map.of();
        }
        try {
            Object parsed = serialization.unmarshal(config, Object.class);
            if (parsed instanceof Map<?, ?> map) {
                return (Map<String, Object>) map;
            }
        } catch (RuntimeException e) {
            // refused below
        }
        throw new InjectionRefused("proxy.istio.io/config is not a ProxyConfig (YAML or JSON object)");
    }

    /**
     * The proxy's requests and limits: the settings', unless the pod names any with its
     * {@code sidecar.istio.io/proxy*} annotations: then those alone, as Istio's template does.
     */
    private Map<String, String> resources(Map<String, String> annotations) {
        Map<String, String> resources = new LinkedHashMap<>();
        Map.of("cpu", "proxyCPU", "memory", "proxyMemory", "cpuLimit", "proxyCPULimit", "memoryLimit",
                "proxyMemoryLimit").forEach((key, annotation) -> {
                    String value = annotations.get("sidecar.istio.io/" + annotation);
                    if (value != null) {
                        try {
                            new Quantity(value).getNumericalAmount();
                        } catch (RuntimeException e) {
                            throw new InjectionRefused("sidecar.istio.io/" + annotation + ": " + value
                                    + " is not a quantity");
                        }
                        resources.put(key, value);
                    }
                });
        return resources.isEmpty() ? settings.resources() : resources;
    }

    private static ResourceRequirements requirements(Map<String, String> resources) {
        ResourceRequirementsBuilder requirements = new ResourceRequirementsBuilder();
        if (resources.containsKey("cpu")) {
            requirements.addToRequests("cpu", new Quantity(resources.get("cpu")));
        }
        if (resources.containsKey("memory")) {
            requirements.addToRequests("memory", new Quantity(resources.get("memory")));
        }
        if (resources.containsKey("cpuLimit")) {
            requirements.addToLimits("cpu", new Quantity(resources.get("cpuLimit")));
        }
        if (resources.containsKey("memoryLimit")) {
            requirements.addToLimits("memory", new Quantity(resources.get("memoryLimit")));
        }
        return requirements.build();
    }

    private Container captureContainer(Map<String, String> annotations, List<String> iptablesArgs,
            Map<String, Object> proxyConfig, Map<String, String> resources) {
        // No command: the image's entrypoint runs the arguments (weft-proxy's, or pilot-agent's in Istio's image).
        return new ContainerBuilder().withName(INIT_CONTAINER).withImage(initImage(annotations))
                .withArgs(iptablesArgs)
                .withEnv(proxyMetadata(proxyConfig))
                .withResources(requirements(resources))
                .withNewSecurityContext().withAllowPrivilegeEscalation(false).withPrivileged(false)
                .withReadOnlyRootFilesystem(false).withRunAsGroup(0L).withRunAsUser(0L).withRunAsNonRoot(false)
                .withNewCapabilities().addToAdd("NET_ADMIN", "NET_RAW").addToDrop("ALL").endCapabilities()
                .endSecurityContext().build();
    }

    private Container proxyContainer(Pod pod, List<Container> apps, TrafficCapture capture, String mode,
            Map<String, Object> proxyConfig, Map<String, String> resources, Map<String, Map<String, Object>> probers,
            Map<String, String> prometheus, String workloadName, boolean nativeSidecar, boolean hold,
            List<VolumeMount> userMounts) {
        Map<String, String> annotations = InjectionPolicy.annotations(pod);
        List<EnvVar> env = new ArrayList<>();
        env.add(value("CA_ADDR", settings.caAddress()));
        env.add(field("POD_NAME", "metadata.name"));
        env.add(field("POD_NAMESPACE", "metadata.namespace"));
        env.add(field("INSTANCE_IP", "status.podIP"));
        env.add(field("SERVICE_ACCOUNT", "spec.serviceAccountName"));
        env.add(field("HOST_IP", "status.hostIP"));
        env.add(value("PROXY_CONFIG", toJson(proxyConfig)));
        List<Map<String, Object>> ports = new ArrayList<>();
        apps.forEach(app -> {
            if (app.getPorts() != null) {
                app.getPorts().forEach(port -> ports.add(serialization.convertValue(port, Map.class)));
            }
        });
        env.add(value("ISTIO_META_POD_PORTS", toJson(ports)));
        // Kubernetes does not tell an empty value from none; Istio writes none.
        env.add(apps.isEmpty() ? new EnvVarBuilder().withName("ISTIO_META_APP_CONTAINERS").build()
                : value("ISTIO_META_APP_CONTAINERS", String.join(",", apps.stream().map(Container::getName).toList())));
        env.add(value("ISTIO_META_CLUSTER_ID", settings.clusterId()));
        env.add(field("ISTIO_META_NODE_NAME", "spec.nodeName"));
        env.add(value("ISTIO_META_INTERCEPTION_MODE", mode));
        env.add(value("ISTIO_META_WORKLOAD_NAME", workloadName));
        env.add(value("ISTIO_META_MESH_ID", settings.meshId()));
        env.add(value("TRUST_DOMAIN", settings.trustDomain()));
        if (capture.statusPort() != MERGED_METRICS_PORT) {
            // status.sidecar.istio.io/port moved (or, with 0, turned off) the agent's port: the agent must know.
            env.add(value("STATUS_PORT", Integer.toString(capture.statusPort())));
        }
        env.addAll(proxyMetadata(proxyConfig));
        if (!probers.isEmpty()) {
            env.add(value("ISTIO_KUBE_APP_PROBERS", toJson(probers)));
        }
        if (!prometheus.isEmpty()) {
            env.add(value("ISTIO_PROMETHEUS_ANNOTATIONS", toJson(prometheus)));
        }
        ContainerBuilder proxy = new ContainerBuilder().withName(PROXY_CONTAINER).withImage(image(annotations))
                .withCommand("weft-proxy").withArgs("sidecar")
                .withEnv(env)
                .addNewPort().withContainerPort(PROMETHEUS_PORT).withName("http-envoy-prom").withProtocol("TCP")
                .endPort()
                .withResources(requirements(resources))
                .withNewSecurityContext().withAllowPrivilegeEscalation(false).withPrivileged(false)
                .withReadOnlyRootFilesystem(true).withRunAsGroup(InjectionSettings.PROXY_UID)
                .withRunAsUser(InjectionSettings.PROXY_UID).withRunAsNonRoot(true)
                .withNewCapabilities().addToDrop("ALL").endCapabilities().endSecurityContext()
                .withVolumeMounts(mount("istiod-ca-cert", "/var/run/secrets/istio"),
                        mount("istio-data", "/var/lib/istio/data"), mount("istio-envoy", "/etc/istio/proxy"),
                        mount("istio-token", "/var/run/secrets/tokens"), mount("istio-podinfo", "/etc/istio/pod"))
                .addAllToVolumeMounts(userMounts);
        if (capture.statusPort() != 0) {
            InjectionSettings.ProxyReadiness readiness = readiness(annotations);
            ProbeBuilder probe = new ProbeBuilder().withNewHttpGet().withPath("/healthz/ready")
                    .withPort(new IntOrString(HEALTH_PORT)).endHttpGet()
                    .withPeriodSeconds(readiness.periodSeconds()).withFailureThreshold(readiness.failureThreshold())
                    .withTimeoutSeconds(3);
            if (readiness.initialDelaySeconds() != 0) {
                probe.withInitialDelaySeconds(readiness.initialDelaySeconds());
            }
            proxy.withReadinessProbe(probe.build());
        }
        if (capture.statusPort() != 0) {
            // A native sidecar is started, and the next container runs, once this passes: ready, not merely running.
            proxy.withStartupProbe(new ProbeBuilder().withNewHttpGet()
                    .withPath("/healthz/ready").withPort(new IntOrString(HEALTH_PORT))
                    .endHttpGet().withPeriodSeconds(1).withFailureThreshold(600).withTimeoutSeconds(3).build());
        }
        if (nativeSidecar) {
            proxy.withRestartPolicy("Always");
        } else if (hold) {
            // The kubelet runs the next container once this hook returns: it returns when the proxy is ready.
            proxy.withNewLifecycle().withNewPostStart().withNewExec().withCommand("weft-proxy", "wait")
                    .endExec().endPostStart().endLifecycle();
        }
        return proxy.build();
    }

    /** The settings' image, or the pod's {@code sidecar.istio.io/proxyImage} (a debug build, a pinned version). */
    private String image(Map<String, String> annotations) {
        return annotations.getOrDefault(PROXY_IMAGE, settings.proxyImage());
    }

    /** The capture's image ({@code values.global.proxy_init.image}); a pod's proxy image with a registry wins. */
    private String initImage(Map<String, String> annotations) {
        String pods = annotations.get(PROXY_IMAGE);
        return pods != null && pods.contains("/") ? pods : settings.proxyInitImage();
    }

    private InjectionSettings.ProxyReadiness readiness(Map<String, String> annotations) {
        InjectionSettings.ProxyReadiness defaults = settings.readiness();
        return new InjectionSettings.ProxyReadiness(
                seconds(annotations, "initialDelaySeconds", defaults.initialDelaySeconds()),
                seconds(annotations, "periodSeconds", defaults.periodSeconds()),
                seconds(annotations, "failureThreshold", defaults.failureThreshold()));
    }

    private static int seconds(Map<String, String> annotations, String field, int otherwise) {
        String name = "readiness.status.sidecar.istio.io/" + field;
        String value = annotations.get(name);
        if (value == null) {
            return otherwise;
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new InjectionRefused(name + ": " + value + " is not a non-negative number");
    }

    /** {@code proxyMetadata} of the pod's ProxyConfig: environment of the proxy and the capture container. */
    private static List<EnvVar> proxyMetadata(Map<String, Object> proxyConfig) {
        if (!(proxyConfig.get("proxyMetadata") instanceof Map<?, ?> metadata)) {
            return List.of();
        }
        return metadata.entrySet().stream().map(e -> value(e.getKey().toString(), String.valueOf(e.getValue())))
                .toList();
    }

    private static List<Volume> volumes() {
        return List.of(
                new VolumeBuilder().withName("istio-envoy").withNewEmptyDir().withMedium("Memory").endEmptyDir()
                        .build(),
                new VolumeBuilder().withName("istio-data").withNewEmptyDir().endEmptyDir().build(),
                new VolumeBuilder().withName("istio-podinfo").withNewDownwardAPI()
                        .addNewItem().withPath("labels").withNewFieldRef().withFieldPath("metadata.labels")
                        .endFieldRef().endItem()
                        .addNewItem().withPath("annotations").withNewFieldRef()
                        .withFieldPath("metadata.annotations").endFieldRef().endItem()
                        .endDownwardAPI().build(),
                new VolumeBuilder().withName("istio-token").withNewProjected().addNewSource()
                        .withNewServiceAccountToken().withAudience("istio-ca").withExpirationSeconds(43200L)
                        .withPath("istio-token").endServiceAccountToken().endSource().endProjected().build(),
                new VolumeBuilder().withName("istiod-ca-cert").withNewConfigMap().withName("istio-ca-root-cert")
                        .endConfigMap().build());
    }

    /** Istio's record of what it added, which a second injection and {@code istioctl} read. */
    private String status(List<String> initContainers, List<String> containers, List<String> volumes) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("initContainers", initContainers);
        status.put("containers", containers);
        status.put("volumes", volumes);
        status.put("imagePullSecrets", null);
        status.put("revision", settings.revision());
        return toJson(status);
    }

    /**
     * {@code sidecar.istio.io/userVolume} and {@code userVolumeMount}: a JSON object of name to volume (or mount),
     * for the proxy to read files the pod brings (certificates, a custom bootstrap).
     */
    private <T> List<T> userEntries(Map<String, String> annotations, String annotation, Class<T> type) {
        String value = annotations.get(annotation);
        if (value == null || value.isBlank()) {
            return List.of();
        }
        List<T> entries = new ArrayList<>();
        try {
            Map<?, ?> byName = serialization.unmarshal(value, Map.class);
            byName.forEach((name, spec) -> {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("name", name);
                if (spec instanceof Map<?, ?> fields) {
                    fields.forEach((field, fieldValue) -> entry.put(field.toString(), fieldValue));
                }
                entries.add(serialization.convertValue(entry, type));
            });
        } catch (RuntimeException e) {
            throw new InjectionRefused(annotation + " is not a JSON object of name to " + type.getSimpleName()
                    + ": " + e.getMessage());
        }
        return entries;
    }

    private static String first(Map<String, String> labels, String otherwise, String... keys) {
        for (String key : keys) {
            String value = labels.get(key);
            if (value != null && !value.isEmpty()) {
                return value;
            }
        }
        return otherwise;
    }

    /** A label value: at most 63 characters, ending with a letter or digit. */
    private static String truncate(String value) {
        String cut = value.length() <= LABEL_VALUE_MAX ? value : value.substring(0, LABEL_VALUE_MAX);
        return cut.replaceAll("[-_.]+$", "");
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static VolumeMount mount(String name, String path) {
        return new VolumeMountBuilder().withName(name).withMountPath(path).build();
    }

    private static EnvVar value(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }

    private static EnvVar field(String name, String path) {
        return new EnvVarBuilder().withName(name).withNewValueFrom().withNewFieldRef().withFieldPath(path)
                .endFieldRef().endValueFrom().build();
    }
}
