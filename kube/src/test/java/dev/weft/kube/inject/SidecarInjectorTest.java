package dev.weft.kube.inject;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the pod asks of the injector beyond Istio's test data: overrides, interception modes, templates. */
class SidecarInjectorTest {

    private static final SidecarInjector INJECTOR = new SidecarInjector(InjectionSettings.defaults("weft:test"));

    private static PodBuilder pod() {
        return new PodBuilder().withNewMetadata().withName("hello").endMetadata().withNewSpec().addNewContainer()
                .withName("hello").withImage("hello").endContainer().endSpec();
    }

    private static Container proxy(Pod pod) {
        return pod.getSpec().getInitContainers().stream().filter(c -> c.getName().equals("istio-proxy")).findFirst()
                .orElseThrow();
    }

    /**
     * The proxy image's one command, as Istio's pilot-agent: {@code weft-proxy sidecar}, and its entrypoint with
     * istio-iptables' arguments in istio-init, which Istio's image runs as well.
     */
    @Test
    void bothContainersRunTheProxyImagesCommand() {
        Pod injected = INJECTOR.inject(pod().build(), "hello");

        Container capture = injected.getSpec().getInitContainers().getFirst();
        assertThat(capture.getName()).isEqualTo("istio-init");
        assertThat(capture.getImage()).isEqualTo("weft:test");
        assertThat(capture.getCommand()).isEmpty();
        assertThat(capture.getArgs()).startsWith("istio-iptables", "-p", "15001", "-z", "15006", "-u", "1337");
        assertThat(proxy(injected).getCommand()).containsExactly("weft-proxy");
        assertThat(proxy(injected).getArgs()).containsExactly("sidecar");
    }

    @Test
    void aPodsOwnIstioProxyContainerIsMergedOverTheInjectedOne() {
        Pod pod = pod().editSpec().addNewContainer().withName("istio-proxy").withImage("auto")
                .addNewEnv().withName("TRUST_DOMAIN").withValue("example.org").endEnv()
                .addNewEnv().withName("EXTRA").withValue("1").endEnv()
                .withNewResources().addToLimits("cpu", new Quantity("3")).endResources()
                .withNewSecurityContext().withRunAsUser(1234L).endSecurityContext()
                .endContainer().endSpec().build();
        Pod injected = INJECTOR.inject(pod, "hello");

        assertThat(injected.getSpec().getContainers()).extracting(Container::getName).containsExactly("hello");
        Container proxy = proxy(injected);
        assertThat(proxy.getImage()).isEqualTo("weft:test");
        assertThat(proxy.getEnv()).extracting(EnvVar::getName).containsOnlyOnce("TRUST_DOMAIN").contains("EXTRA",
                "CA_ADDR");
        assertThat(proxy.getEnv()).filteredOn(e -> e.getName().equals("TRUST_DOMAIN")).extracting(EnvVar::getValue)
                .containsExactly("example.org");
        assertThat(proxy.getResources().getLimits()).containsEntry("cpu", new Quantity("3"))
                .containsEntry("memory", new Quantity("1Gi"));
        assertThat(proxy.getSecurityContext().getRunAsUser()).isEqualTo(1234L);
        assertThat(proxy.getSecurityContext().getRunAsNonRoot()).isTrue();
        List<String> capture = injected.getSpec().getInitContainers().getFirst().getArgs();
        assertThat(capture.get(capture.indexOf("-u") + 1)).as("the proxy's user is let out").isEqualTo("1234");
    }

    @Test
    void interceptionNoneInjectsNoCaptureAndOtherModesAreRefused() {
        Pod none = INJECTOR.inject(pod().editMetadata().addToAnnotations("sidecar.istio.io/interceptionMode", "NONE")
                .endMetadata().build(), "hello");
        assertThat(none.getSpec().getInitContainers()).extracting(Container::getName).containsExactly("istio-proxy");
        assertThat(proxy(none).getEnv()).filteredOn(e -> e.getName().equals("ISTIO_META_INTERCEPTION_MODE"))
                .extracting(EnvVar::getValue).containsExactly("NONE");

        assertThatThrownBy(() -> INJECTOR.inject(pod().editMetadata()
                .addToAnnotations("sidecar.istio.io/interceptionMode", "TPROXY").endMetadata().build(), "hello"))
                .isInstanceOf(InjectionRefused.class).hasMessageContaining("TPROXY");
    }

    @Test
    void onlyTheSidecarTemplateIsInjected() {
        assertThatThrownBy(() -> INJECTOR.inject(pod().editMetadata()
                .addToAnnotations("inject.istio.io/templates", "gateway").endMetadata().build(), "hello"))
                .isInstanceOf(InjectionRefused.class)
                .hasMessage("inject.istio.io/templates gateway: weft injects Istio's sidecar template only");
    }

    @Test
    void theAgentIsToldOfAMovedStatusPort() {
        assertThat(proxy(INJECTOR.inject(pod().build(), "hello")).getEnv()).extracting(EnvVar::getName)
                .doesNotContain("STATUS_PORT");
        Pod moved = INJECTOR.inject(pod().editMetadata().addToAnnotations("status.sidecar.istio.io/port", "15999")
                .endMetadata().build(), "hello");
        assertThat(proxy(moved).getEnv()).filteredOn(e -> e.getName().equals("STATUS_PORT"))
                .extracting(EnvVar::getValue).containsExactly("15999");
    }
}
