package dev.weft.kube.inject;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

/** A pod's workload as Istio names it. */
class WorkloadNamesTest {

    private static Pod owned(String kind, String owner, String hash) {
        PodBuilder pod = new PodBuilder().withNewMetadata().withGenerateName(owner + "-").addNewOwnerReference()
                .withKind(kind).withName(owner).withController(true).endOwnerReference().endMetadata();
        if (hash != null) {
            pod.editMetadata().addToLabels("pod-template-hash", hash).endMetadata();
        }
        return pod.build();
    }

    @Test
    void aDeploymentsPodIsNamedAfterTheDeploymentAnotherControllersAfterItABarePodAfterItself() {
        assertThat(WorkloadNames.of(owned("ReplicaSet", "reviews-v1-5f7d8c9b4", "5f7d8c9b4"))).isEqualTo("reviews-v1");
        assertThat(WorkloadNames.of(owned("ReplicaSet", "standalone", null))).isEqualTo("standalone");
        assertThat(WorkloadNames.of(owned("StatefulSet", "db", null))).isEqualTo("db");
        assertThat(WorkloadNames.of(new PodBuilder().withNewMetadata().withName("debug").endMetadata().build()))
                .isEqualTo("debug");
        assertThat(WorkloadNames.of(new PodBuilder().withNewMetadata().withGenerateName("batch-").endMetadata()
                .build())).isEqualTo("batch");
    }
}
