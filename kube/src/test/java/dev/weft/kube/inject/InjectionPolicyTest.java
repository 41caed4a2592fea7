package dev.weft.kube.inject;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which pods get a sidecar: the namespace's label, the revisions, the pod's own word, and the exclusions. */
class InjectionPolicyTest {

    private static Pod pod(Map<String, String> labels, Map<String, String> annotations) {
        return new PodBuilder().withNewMetadata().withName("p").withLabels(labels).withAnnotations(annotations)
                .endMetadata().withNewSpec().addNewContainer().withName("app").withImage("app").endContainer()
                .endSpec().build();
    }

    private static final Pod PLAIN = pod(Map.of(), Map.of());
    private static final Map<String, String> ENABLED = Map.of("istio-injection", "enabled");

    @Test
    void theNamespaceLabelDecidesUnlessThePodSaysNo() {
        assertThat(InjectionPolicy.required(PLAIN, "shop", ENABLED, "default")).isTrue();
        assertThat(InjectionPolicy.required(PLAIN, "shop", Map.of("istio-injection", "disabled"), "default")).isFalse();
        assertThat(InjectionPolicy.required(PLAIN, "shop", Map.of(), "default")).isFalse();
        assertThat(InjectionPolicy.required(pod(Map.of("sidecar.istio.io/inject", "false"), Map.of()), "shop",
                ENABLED, "default")).isFalse();
        assertThat(InjectionPolicy.required(pod(Map.of(), Map.of("sidecar.istio.io/inject", "false")), "shop",
                ENABLED, "default")).isFalse();
        // The label wins over the annotation.
        assertThat(InjectionPolicy.required(pod(Map.of("sidecar.istio.io/inject", "true"),
                Map.of("sidecar.istio.io/inject", "false")), "shop", ENABLED, "default")).isTrue();
    }

    @Test
    void aRevisionLabelSelectsTheControlPlaneOfThatRevision() {
        assertThat(InjectionPolicy.required(PLAIN, "shop", Map.of("istio.io/rev", "canary"), "canary")).isTrue();
        assertThat(InjectionPolicy.required(PLAIN, "shop", Map.of("istio.io/rev", "canary"), "default")).isFalse();
        assertThat(InjectionPolicy.required(pod(Map.of("istio.io/rev", "canary"), Map.of()), "shop", Map.of(),
                "canary")).isTrue();
        assertThat(InjectionPolicy.required(pod(Map.of("istio.io/rev", "canary"), Map.of()), "shop", Map.of(),
                "default")).isFalse();
        // A pod asking for injection without any revision gets the default one.
        assertThat(InjectionPolicy.required(pod(Map.of("sidecar.istio.io/inject", "true"), Map.of()), "shop",
                Map.of(), "default")).isTrue();
        assertThat(InjectionPolicy.required(pod(Map.of("sidecar.istio.io/inject", "true"), Map.of()), "shop",
                Map.of(), "canary")).isFalse();
    }

    @Test
    void hostNetworkSystemNamespacesAndInjectedPodsAreLeftAlone() {
        Pod host = new PodBuilder(PLAIN).editSpec().withHostNetwork(true).endSpec().build();
        assertThat(InjectionPolicy.required(host, "shop", ENABLED, "default")).isFalse();
        assertThat(InjectionPolicy.required(PLAIN, "kube-system", ENABLED, "default")).isFalse();
        Pod injected = new SidecarInjector(InjectionSettings.defaults("weft:test")).inject(PLAIN, "p");
        assertThat(InjectionPolicy.required(injected, "shop", ENABLED, "default")).isFalse();
    }
}
