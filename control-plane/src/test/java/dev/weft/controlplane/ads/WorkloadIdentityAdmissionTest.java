package dev.weft.controlplane.ads;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.weft.controlplane.ca.Caller;
import dev.weft.controlplane.ca.SpiffeId;
import dev.weft.controlplane.ca.WorkloadTokens;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A proxy is admitted as the workload its credentials name, and refused as any other. */
class WorkloadIdentityAdmissionTest {

    private static final SpiffeId SLEEP = new SpiffeId("cluster.local", "default", "sleep");
    private final WorkloadIdentityAdmission admission =
            new WorkloadIdentityAdmission(WorkloadTokens.of(Map.of("sleep-token", SLEEP)));

    private static Node node(String namespace, String serviceAccount) {
        Struct.Builder metadata = Struct.newBuilder()
                .putFields("NAMESPACE", Value.newBuilder().setStringValue(namespace).build());
        if (!serviceAccount.isEmpty()) {
            metadata.putFields("SERVICE_ACCOUNT", Value.newBuilder().setStringValue(serviceAccount).build());
        }
        return Node.newBuilder().setId("sidecar~10.1.0.7~sleep-1." + namespace + "~" + namespace + ".svc.cluster.local")
                .setMetadata(metadata).build();
    }

    private static Caller token(String token) {
        return new Caller(Optional.of(token), Optional.empty());
    }

    @Test
    void theNodeOfTheTokensWorkloadIsAdmitted() {
        assertThat(admission.refusal(node("default", "sleep"), token("sleep-token"))).isEmpty();
        assertThat(admission.refusal(node("default", ""), token("sleep-token"))).as("no SERVICE_ACCOUNT claimed")
                .isEmpty();
    }

    @Test
    void aNodeClaimingAnotherNamespaceOrServiceAccountIsRefusedSayingWhy() {
        assertThat(admission.refusal(node("prod", "sleep"), token("sleep-token"))).hasValue("node \""
                + "sidecar~10.1.0.7~sleep-1.prod~prod.svc.cluster.local\" claims namespace prod but its caller is "
                + SLEEP.uri());
        assertThat(admission.refusal(node("default", "admin"), token("sleep-token"))).get().asString()
                .contains("claims service account admin but its caller is " + SLEEP.uri());
    }

    @Test
    void aCallerWithoutKnownCredentialsIsRefused() {
        assertThat(admission.refusal(node("default", "sleep"), Caller.NONE)).get().asString()
                .contains("is not an authenticated workload: no credentials");
        assertThat(admission.refusal(node("default", "sleep"), token("guessed"))).get().asString()
                .endsWith("is not an authenticated workload: not a known workload token");
    }

    @Test
    void aMeshCertificateIdentifiesTheCallerWithoutAToken() {
        Caller renewing = new Caller(Optional.empty(), Optional.of(SLEEP));
        assertThat(admission.refusal(node("default", "sleep"), renewing)).isEmpty();
        assertThat(admission.refusal(node("prod", "sleep"), renewing)).isPresent();
    }
}
