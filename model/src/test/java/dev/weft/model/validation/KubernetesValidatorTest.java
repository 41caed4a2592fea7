package dev.weft.model.validation;

import static dev.weft.model.validation.ValidationFixture.errors;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KubernetesValidatorTest {
  @Test
  void servicePortsFollowTheApiServer() {
    assertThat(errors("""
        apiVersion: v1
        kind: Service
        metadata: {name: reviews}
        spec:
          ports:
          - {name: http, port: 9080, targetPort: 70000}
          - {name: http, port: 0, protocol: HTTP}
          - {port: 90, targetPort: grpc}
        """)).containsExactly(
        "spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
        "spec.ports[1].port: Invalid value: 0: must be between 1 and 65535, inclusive",
        "spec.ports[1].name: Duplicate value: \"http\"",
        "spec.ports[2].name: Required value");
  }

  @Test
  void deploymentReplicasAndContainerPorts() {
    assertThat(errors("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: reviews}
        spec:
          replicas: -1
          template:
            spec:
              containers: [{name: app, ports: [{containerPort: 0}]}]
        """)).containsExactly(
        "spec.replicas: Invalid value: -1: must be greater than or equal to 0",
        "spec.template.spec.containers[0].ports[0].containerPort: Invalid value: 0: must be between 1 and 65535,"
            + " inclusive");
  }
}
