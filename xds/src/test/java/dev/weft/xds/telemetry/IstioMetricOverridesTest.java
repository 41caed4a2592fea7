package dev.weft.xds.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.weft.model.telemetry.WorkloadMode;
import dev.weft.xds.PushFixture;
import dev.weft.xds.push.PushContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Telemetry's metric overrides merged per direction, as Istio does, into the stats plugin's {@code metrics}. */
class IstioMetricOverridesTest {

    private static final String TELEMETRY = """
            apiVersion: telemetry.istio.io/v1
            kind: Telemetry
            metadata: {name: mesh-default, namespace: istio-system}
            spec:
              metrics:
              - providers: [{name: prometheus}]
                overrides:
                - match: {metric: REQUEST_SIZE, mode: CLIENT}
                  disabled: true
                - match: {metric: ALL_METRICS}
                  tagOverrides:
                    response_flags: {operation: REMOVE}
            ---
            apiVersion: telemetry.istio.io/v1
            kind: Telemetry
            metadata: {name: reviews, namespace: default}
            spec:
              selector: {matchLabels: {app: reviews}}
              metrics:
              - reportingInterval: 1.5s
                overrides:
                - match: {metric: REQUEST_COUNT}
                  tagOverrides:
                    response_flags: {value: "response.flags"}
                    request_method: {value: "request.method"}
            """;

    private static Map<String, Struct> byMetric(PushContext push, String app, WorkloadMode mode) {
        Map<String, Struct> byName = new java.util.TreeMap<>();
        for (Value v : IstioMetricOverrides.of(push.telemetryFor(PushFixture.node(
                "sidecar~10.0.0.1~" + app + "-v1.default~default.svc.cluster.local", Map.of("app", app))), mode)
                .getValuesList()) {
            byName.put(v.getStructValue().getFieldsOrThrow("name").getStringValue(), v.getStructValue());
        }
        return byName;
    }

    @Test
    void narrowerLevelsWinPerMetricAndTagAndModesApartFromEachOther() {
        PushContext push = PushFixture.push(TELEMETRY);

        Map<String, Struct> productpageClient = byMetric(push, "productpage", WorkloadMode.CLIENT);
        assertThat(productpageClient).hasSize(10);
        assertThat(productpageClient.get("request_bytes").getFieldsOrThrow("drop").getBoolValue()).isTrue();
        assertThat(productpageClient.get("requests_total").getFieldsOrThrow("tags_to_remove").getListValue()
                .getValuesList()).extracting(Value::getStringValue).containsExactly("response_flags");

        Map<String, Struct> productpageServer = byMetric(push, "productpage", WorkloadMode.SERVER);
        assertThat(productpageServer.get("request_bytes").containsFields("drop")).as("CLIENT only").isFalse();

        Struct reviewsCount = byMetric(push, "reviews", WorkloadMode.SERVER).get("requests_total");
        assertThat(reviewsCount.containsFields("tags_to_remove")).as("the workload's upsert undoes the mesh's removal")
                .isFalse();
        assertThat(reviewsCount.getFieldsOrThrow("dimensions").getStructValue().getFieldsMap())
                .containsOnlyKeys("request_method", "response_flags");
        assertThat(byMetric(push, "reviews", WorkloadMode.SERVER).get("request_duration_milliseconds")
                .getFieldsOrThrow("tags_to_remove").getListValue().getValuesList()).hasSize(1);
    }

    @Test
    void withoutTelemetryThereIsNothingToSay() {
        assertThat(byMetric(PushFixture.push(""), "reviews", WorkloadMode.CLIENT)).isEmpty();
    }

    @Test
    void theNarrowestReportingIntervalIsTheTcpReportingDuration() {
        PushContext push = PushFixture.push(TELEMETRY);
        assertThat(IstioMetricOverrides.tcpReportingDuration(push.telemetryFor(PushFixture.node(
                "sidecar~10.0.0.1~reviews-v1.default~default.svc.cluster.local", Map.of("app", "reviews")))))
                .contains("1.5s");
        assertThat(IstioMetricOverrides.tcpReportingDuration(push.telemetryFor(PushFixture.node(
                "sidecar~10.0.0.1~ratings-v1.default~default.svc.cluster.local", Map.of("app", "ratings")))))
                .isEmpty();
    }
}
