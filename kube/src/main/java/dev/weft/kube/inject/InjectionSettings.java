package dev.weft.kube.inject;

import java.util.Map;
import java.util.Objects;

/**
 * What the sidecar injector puts into every pod unless the pod's annotations say otherwise: the mesh-wide values
 * Istio keeps in its {@code istio-sidecar-injector} ConfigMap ({@code values.global.proxy.*}) and mesh config.
 *
 * @param proxyImage the image with {@code weft} and {@code weft-proxy}
 * @param proxyInitImage the image the capture init container runs ({@code values.global.proxy_init.image}): one whose
 *     entrypoint takes {@code istio-iptables} and Istio's arguments and that has {@code iptables-restore}
 * @param layout native sidecar (Kubernetes 1.29+) or a regular container (older clusters)
 * @param holdApplicationUntilProxyStarts in the classic layout, the proxy first and the app started after it is ready
 * @param revision this control plane's {@code istio.io/rev} ({@code default})
 * @param caAddress where the proxy asks for its certificate (istiod's 15012)
 * @param capture the traffic capture sets and the status port when the pod's annotations name none
 * @param readiness the proxy's readiness probe when the pod's annotations name none
 * @param resources the proxy's requests and limits when the pod's annotations name none ({@code cpu}, {@code memory},
 *     {@code cpuLimit}, {@code memoryLimit}; absent keys are not set)
 */
public record InjectionSettings(String proxyImage, String proxyInitImage, SidecarLayout layout, boolean holdApplicationUntilProxyStarts,
        String revision, String caAddress, String clusterId, String trustDomain, String meshId,
        TrafficCapture capture, ProxyReadiness readiness, Map<String, String> resources) {

    /** The proxy's user and group: its own traffic is not captured (Istio's 1337). */
    public static final long PROXY_UID = 1337;

    public InjectionSettings {
        Objects.requireNonNull(proxyImage, "proxyImage");
        Objects.requireNonNull(proxyInitImage, "proxyInitImage");
        Objects.requireNonNull(layout, "layout");
        resources = Map.copyOf(resources);
    }

    /** Istio's defaults: native sidecars, revision {@code default}, 100m/128Mi requested, 2 CPUs/1Gi at most. */
    public static InjectionSettings defaults(String proxyImage) {
        return new InjectionSettings(proxyImage, proxyImage, SidecarLayout.NATIVE, false, "default",
                "istiod.istio-system.svc:15012", "Kubernetes", "cluster.local", "cluster.local",
                TrafficCapture.DEFAULT, ProxyReadiness.DEFAULT,
                Map.of("cpu", "100m", "memory", "128Mi", "cpuLimit", "2", "memoryLimit", "1Gi"));
    }

    public InjectionSettings withProxyInitImage(String image) {
        return new InjectionSettings(proxyImage, image, layout, holdApplicationUntilProxyStarts, revision, caAddress,
                clusterId, trustDomain, meshId, capture, readiness, resources);
    }

    public InjectionSettings withLayout(SidecarLayout newLayout, boolean hold) {
        return new InjectionSettings(proxyImage, proxyInitImage, newLayout, hold, revision, caAddress, clusterId,
                trustDomain, meshId, capture, readiness, resources);
    }

    public InjectionSettings withRevision(String newRevision) {
        return new InjectionSettings(proxyImage, proxyInitImage, layout, holdApplicationUntilProxyStarts, newRevision,
                caAddress, clusterId, trustDomain, meshId, capture, readiness, resources);
    }

    public InjectionSettings withCapture(TrafficCapture newCapture) {
        return new InjectionSettings(proxyImage, proxyInitImage, layout, holdApplicationUntilProxyStarts, revision,
                caAddress, clusterId, trustDomain, meshId, newCapture, readiness, resources);
    }

    public InjectionSettings withReadiness(ProxyReadiness newReadiness) {
        return new InjectionSettings(proxyImage, proxyInitImage, layout, holdApplicationUntilProxyStarts, revision,
                caAddress, clusterId, trustDomain, meshId, capture, newReadiness, resources);
    }

    /** Where the proxy sits in the pod. */
    public enum SidecarLayout {
        /** An init container with {@code restartPolicy: Always}: the app starts once it is ready, Jobs complete. */
        NATIVE,
        /** A regular container, for clusters before 1.29. */
        CLASSIC
    }

    /** The proxy's readiness probe on its health port (15021), Istio's {@code readiness*} values. */
    public record ProxyReadiness(int initialDelaySeconds, int periodSeconds, int failureThreshold) {
        public static final ProxyReadiness DEFAULT = new ProxyReadiness(0, 15, 4);
    }
}
