package dev.weft.model.validation;

import dev.weft.model.kube.Container;
import dev.weft.model.kube.ContainerPort;
import dev.weft.model.kube.DeploymentSpec;
import dev.weft.model.kube.PodSpec;
import dev.weft.model.kube.ServicePort;
import dev.weft.model.kube.ServiceSpec;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The Kubernetes API server's rules for the fields the mesh reads from Services, Pods and Deployments.
 * Protocols are not checked: Istio's own test data writes Istio protocol names (HTTP, HTTPS) there.
 */
final class KubernetesValidator {
  private static final String PORT_RANGE = "must be between 1 and 65535, inclusive";

  private KubernetesValidator() {}

  static void validateService(ServiceSpec service, Findings findings) {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < service.ports().size(); i++) {
      ServicePort port = service.ports().get(i);
      String path = "spec.ports[" + i + "]";
      checkPort(port.port(), path + ".port", findings);
      if (port.targetPort() != null && port.targetPort().number() != null) {
        checkPort(port.targetPort().number(), path + ".targetPort", findings);
      }
      if (service.ports().size() > 1 && port.name().isEmpty()) {
        findings.required(path + ".name");
      } else if (!port.name().isEmpty() && !names.add(port.name())) {
        findings.error(path + ".name", "Duplicate value: \"" + port.name() + "\"");
      }
    }
  }

  static void validatePod(PodSpec pod, String path, Findings findings) {
    checkContainers(pod.containers(), path + ".containers", findings);
    checkContainers(pod.initContainers(), path + ".initContainers", findings);
  }

  static void validateDeployment(DeploymentSpec deployment, Findings findings) {
    if (deployment.replicas() != null && deployment.replicas() < 0) {
      findings.error("spec.replicas", "Invalid value: " + deployment.replicas()
          + ": must be greater than or equal to 0");
    }
    if (deployment.template() != null && deployment.template().spec() != null) {
      validatePod(deployment.template().spec(), "spec.template.spec", findings);
    }
  }

  private static void checkContainers(List<Container> containers, String path, Findings findings) {
    for (int i = 0; i < containers.size(); i++) {
      List<ContainerPort> ports = containers.get(i).ports();
      for (int j = 0; j < ports.size(); j++) {
        String portPath = path + "[" + i + "].ports[" + j + "]";
        checkPort(ports.get(j).containerPort(), portPath + ".containerPort", findings);
      }
    }
  }

  private static void checkPort(int port, String path, Findings findings) {
    if (!Ports.isValid(port)) {
      findings.error(path, "Invalid value: " + port + ": " + PORT_RANGE);
    }
  }
}
