package dev.weft.model.validation;

import static dev.weft.model.validation.ValidationFixture.errors;
import static dev.weft.model.validation.ValidationFixture.load;
import static dev.weft.model.validation.ValidationFixture.warnings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.model.telemetry.IstioMetric;
import dev.weft.model.telemetry.Telemetry;
import org.junit.jupiter.api.Test;

/** ServiceEntry, WorkloadEntry, WorkloadGroup and Telemetry rules beyond the Istio corpus. */
class OtherKindsValidatorTest {

  @Test
  void serviceEntryStaticEndpointsMustBeAddresses() {
    assertThat(errors("""
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: db}
        spec:
          hosts: [db.internal]
          ports: [{number: 5432, name: tcp, protocol: TCP}]
          resolution: STATIC
          endpoints: [{address: db.example.com}, {address: 10.0.0.1, ports: {postgres: 5432}}]
        """)).containsExactly(
        "spec.endpoints[0].address: Invalid value: \"db.example.com\": STATIC resolution requires IP addresses or"
            + " unix:// endpoints",
        "spec.endpoints[1].ports[postgres]: endpoint port postgres is not defined by the service entry");
  }

  @Test
  void serviceEntryDnsWildcardWithoutEndpointsIsAWarning() {
    String entry = """
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: wild}
        spec: {hosts: ["*.example.com"], ports: [{number: 443, name: https, protocol: TLS}], resolution: DNS}
        """;
    assertThat(errors(entry)).isEmpty();
    assertThat(warnings(entry)).singleElement().asString().contains("not allowed with DNS resolution");
  }

  @Test
  void serviceEntryAddressesMustBeIps() {
    assertThat(errors("""
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: x}
        spec: {hosts: [a.com], addresses: [not-an-ip, "2001:db8::1", 10.1.0.0/16]}
        """)).containsExactly(
        "spec.addresses[0]: Invalid value: \"not-an-ip\": invalid address, must be an IP address or CIDR block");
  }

  @Test
  void workloadGroupProbeNeedsExactlyOneCheck() {
    assertThat(errors("""
        apiVersion: networking.istio.io/v1
        kind: WorkloadGroup
        metadata: {name: vm}
        spec:
          metadata: {labels: {app: vm}}
          template: {serviceAccount: vm, network: net1}
          probe: {httpGet: {port: 8080, path: /ready}, tcpSocket: {port: 8080}}
        """)).containsExactly("spec.probe: must have exactly one of httpGet, tcpSocket, exec or grpc");
  }

  @Test
  void telemetryTracingFlagsBind() {
    String telemetry = """
        apiVersion: telemetry.istio.io/v1
        kind: Telemetry
        metadata: {name: egress, namespace: istio-system}
        spec:
          tracing:
          - {disableContextPropagation: true, enableIstioTags: false}
          - {}
        """;
    assertThat(errors(telemetry)).isEmpty();
    assertThat(warnings(telemetry)).containsExactly(
        "spec.tracing[0].disableContextPropagation: not supported by Weft: ignored");
    assertThat(load(telemetry).resources().getFirst().spec())
        .isInstanceOfSatisfying(Telemetry.class, t -> {
          assertThat(t.tracing().getFirst().disableContextPropagation()).isTrue();
          assertThat(t.tracing().getFirst().enableIstioTags()).isFalse();
          assertThat(t.tracing().get(1).enableIstioTags()).as("unset wrapper").isNull();
        });
  }

  @Test
  void telemetryBindsAndChecksRanges() {
    String telemetry = """
        apiVersion: telemetry.istio.io/v1
        kind: Telemetry
        metadata: {name: mesh-default, namespace: istio-system}
        spec:
          tracing:
          - providers: [{name: zipkin}]
            randomSamplingPercentage: 150
            customTags:
              both: {literal: {value: a}, header: {name: x-b}}
          metrics:
          - providers: [{name: prometheus}]
            overrides:
            - match: {metric: REQUEST_COUNT, mode: CLIENT}
              tagOverrides: {request_protocol: {operation: UPSERT}}
          accessLogging:
          - providers: [{name: envoy}]
            filter: {expression: "response.code >= 400"}
        """;
    assertThat(errors(telemetry)).containsExactly(
        "spec.tracing[0].randomSamplingPercentage: Invalid value: 150.0: randomSamplingPercentage must be in range"
            + " [0.0, 100.0]",
        "spec.tracing[0].customTags[both]: must specify exactly one of literal, environment or header",
        "spec.metrics[0].overrides[0].tagOverrides[request_protocol].value: Required value: must be set for UPSERT");
    assertThat(load(telemetry).resources().getFirst().spec())
        .isInstanceOfSatisfying(Telemetry.class, t ->
            assertThat(t.metrics().getFirst().overrides().getFirst().match().metric())
                .isEqualTo(IstioMetric.REQUEST_COUNT));
  }

  @Test
  void telemetryFieldsWeftDoesNotActOnAreWarnings() {
    // reportingInterval is acted on: it is the TCP metrics' tcp_reporting_duration.
    assertThat(warnings("""
        apiVersion: telemetry.istio.io/v1
        kind: Telemetry
        metadata: {name: mesh-default, namespace: istio-system}
        spec:
          tracing:
          - providers: [{name: zipkin}]
            useRequestIdForTraceSampling: false
          metrics:
          - providers: [{name: prometheus}]
            reportingInterval: 10s
        """)).containsExactly(
        "spec.tracing[0].useRequestIdForTraceSampling: not supported by Weft: ignored");
  }
}
