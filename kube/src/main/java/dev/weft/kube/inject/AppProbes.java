package dev.weft.kube.inject;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HTTPGetActionBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.LifecycleHandlerBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Istio's probe rewrite: with mTLS the kubelet cannot reach the app's own health endpoints through the sidecar, so
 * each app container's HTTP, TCP and gRPC probes (and HTTP/TCP lifecycle hooks) become HTTP GETs of the agent's
 * status port ({@code /app-health/<container>/livez|readyz|startupz}, {@code /app-lifecycle/<container>/...}),
 * and the originals, named ports resolved, go to the proxy as {@code ISTIO_KUBE_APP_PROBERS}, which it runs
 * itself. Exec probes are left alone.
 */
final class AppProbes {

    private final int statusPort;
    /** Path to the original action, sorted as Istio writes the JSON. */
    private final Map<String, Map<String, Object>> probers = new TreeMap<>();

    AppProbes(int statusPort) {
        this.statusPort = statusPort;
    }

    /** Rewrites the probes of {@code container} in place (it is the injector's copy) and records the originals. */
    void rewrite(Container container) {
        String base = "/app-health/" + container.getName() + "/";
        rewrite(container, container.getLivenessProbe(), base + "livez", container::setLivenessProbe);
        rewrite(container, container.getReadinessProbe(), base + "readyz", container::setReadinessProbe);
        rewrite(container, container.getStartupProbe(), base + "startupz", container::setStartupProbe);
        if (container.getLifecycle() != null) {
            String hooks = "/app-lifecycle/" + container.getName() + "/";
            container.getLifecycle().setPostStart(hook(container, container.getLifecycle().getPostStart(),
                    hooks + "poststartz"));
            container.getLifecycle().setPreStop(hook(container, container.getLifecycle().getPreStop(),
                    hooks + "prestopz"));
        }
    }

    /** The recorded originals, keyed by their agent path; empty when no probe was rewritten. */
    Map<String, Map<String, Object>> probers() {
        return probers;
    }

    private void rewrite(Container container, Probe probe, String path, Consumer<Probe> set) {
        if (probe == null) {
            return;
        }
        Map<String, Object> original = original(container, probe.getHttpGet(), probe.getTcpSocket() == null ? null
                : probe.getTcpSocket().getPort(), probe.getGrpc() == null ? null : probe.getGrpc().getPort());
        if (original == null) {
            return;
        }
        if (probe.getTimeoutSeconds() != null) {
            original.put("timeoutSeconds", probe.getTimeoutSeconds());
        }
        probers.put(path, original);
        Probe rewritten = new ProbeBuilder(probe).withTcpSocket(null).withGrpc(null)
                .withHttpGet(agentGet(path, probe.getHttpGet())).build();
        set.accept(rewritten);
    }

    private LifecycleHandler hook(Container container, LifecycleHandler handler, String path) {
        if (handler == null) {
            return null;
        }
        Map<String, Object> original = original(container, handler.getHttpGet(),
                handler.getTcpSocket() == null ? null : handler.getTcpSocket().getPort(), null);
        if (original == null) {
            return handler;
        }
        probers.put(path, original);
        return new LifecycleHandlerBuilder(handler).withTcpSocket(null)
                .withHttpGet(agentGet(path, handler.getHttpGet())).build();
    }

    /** The GET of the agent; an HTTPS probe becomes plain HTTP (the agent speaks HTTPS to the app). */
    private HTTPGetAction agentGet(String path, HTTPGetAction original) {
        HTTPGetActionBuilder get = new HTTPGetActionBuilder().withPath(path).withPort(new IntOrString(statusPort));
        if (original != null && original.getScheme() != null) {
            get.withScheme("HTTP");
        }
        return get.build();
    }

    /** The action as the agent reads it, the port a number; null for an action the agent does not run. */
    private static Map<String, Object> original(Container container, HTTPGetAction http, IntOrString tcpPort,
            Integer grpcPort) {
        Map<String, Object> original = new LinkedHashMap<>();
        if (http != null) {
            Map<String, Object> get = new LinkedHashMap<>();
            if (http.getPath() != null) {
                get.put("path", http.getPath());
            }
            get.put("port", resolve(container, http.getPort()));
            if (http.getHost() != null) {
                get.put("host", http.getHost());
            }
            if (http.getScheme() != null) {
                get.put("scheme", http.getScheme());
            }
            if (http.getHttpHeaders() != null && !http.getHttpHeaders().isEmpty()) {
                get.put("httpHeaders", http.getHttpHeaders().stream()
                        .map(h -> Map.of("name", h.getName(), "value", h.getValue())).toList());
            }
            original.put("httpGet", get);
        } else if (tcpPort != null) {
            original.put("tcpSocket", Map.of("port", resolve(container, tcpPort)));
        } else if (grpcPort != null) {
            original.put("grpc", Map.of("port", grpcPort));
        } else {
            return null;
        }
        return original;
    }

    /** A named port becomes the number the container declares under that name. */
    private static Object resolve(Container container, IntOrString port) {
        if (port == null || port.getIntVal() != null) {
            return port == null ? null : port.getIntVal();
        }
        List<ContainerPort> ports = container.getPorts() == null ? List.of() : container.getPorts();
        return ports.stream().filter(p -> port.getStrVal().equals(p.getName())).map(ContainerPort::getContainerPort)
                .findFirst().<Object>map(n -> n).orElseGet(() -> {
                    try {
                        return Integer.parseInt(port.getStrVal());
                    } catch (NumberFormatException e) {
                        throw new InjectionRefused("container " + container.getName() + " has no port named "
                                + port.getStrVal() + " for its probe");
                    }
                });
    }
}
