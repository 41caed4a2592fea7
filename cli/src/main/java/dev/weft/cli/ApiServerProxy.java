package dev.weft.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.util.Comparator;
import java.util.Optional;

/**
 * weftd's debug API (15014) and a proxy's admin (15000) on a cluster, reached through the API server's proxy
 * subresource of their pods ({@code /api/v1/namespaces/NS/pods/POD:PORT/proxy/PATH}) rather than istioctl's
 * port-forward: one HTTPS request with the kubeconfig's credentials, no local socket or SPDY stream to hold open.
 */
final class ApiServerProxy {

  /** weftd's debug port, istiod's monitoring port. */
  static final int WEFTD_DEBUG_PORT = 15014;
  /** The sidecar's admin port, Envoy's as Istio configures it. */
  static final int PROXY_ADMIN_PORT = 15000;
  /** The label istioctl finds istiod's pods by; weftd's pods carry it. */
  static final String CONTROL_PLANE_LABEL = "app";
  static final String CONTROL_PLANE_APP = "istiod";

  private final KubernetesClient client;

  ApiServerProxy(KubernetesClient client) {
    this.client = client;
  }

  /** A running weftd (istiod) pod's name in {@code istioNamespace}, the first by name; empty when none runs. */
  Optional<String> controlPlanePod(String istioNamespace) {
    return client.pods().inNamespace(istioNamespace).withLabel(CONTROL_PLANE_LABEL, CONTROL_PLANE_APP).list()
        .getItems().stream()
        .filter(pod -> pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase()))
        .map(pod -> pod.getMetadata().getName())
        .min(Comparator.naturalOrder());
  }

  /** What to say when {@link #controlPlanePod} finds none. */
  static String noControlPlane(String istioNamespace) {
    return "weft: no running weftd (istiod) pod with label " + CONTROL_PLANE_LABEL + "=" + CONTROL_PLANE_APP
        + " in namespace " + istioNamespace + ": install it with weft install, or name its namespace with -i";
  }

  /**
   * {@code GET path} (with its query) on a pod's port, through the API server: an {@link IOException} when the pod or
   * its port did not answer, a {@link KubernetesClientException} when the API server did not.
   */
  String get(String namespace, String pod, int port, String path) throws IOException {
    String where = namespace + "/" + pod + ":" + port + path;
    try {
      String body = client.raw("/api/v1/namespaces/" + namespace + "/pods/" + pod + ":" + port + "/proxy" + path);
      if (body == null) { // fabric8's answer to a 404
        throw new IOException("the API server answered 404 for " + where + ": no such pod");
      }
      return body;
    } catch (KubernetesClientException e) {
      if (e.getCode() <= 0) {
        throw e; // the API server itself did not answer
      }
      throw new IOException("the API server answered " + e.getCode() + " for " + where + statusMessage(e), e);
    }
  }

  private static String statusMessage(KubernetesClientException e) {
    return e.getStatus() == null || e.getStatus().getMessage() == null ? "" : ": " + e.getStatus().getMessage();
  }
}
