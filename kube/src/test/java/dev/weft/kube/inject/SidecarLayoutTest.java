package dev.weft.kube.inject;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

/** The classic layout for clusters before native sidecars: the proxy a regular container, first when it holds. */
class SidecarLayoutTest {

    private static final Pod POD = new PodBuilder().withNewMetadata().withName("hello").endMetadata().withNewSpec()
            .addNewContainer().withName("hello").withImage("hello").endContainer().endSpec().build();

    private static Pod inject(boolean hold) {
        return new SidecarInjector(InjectionSettings.defaults("weft:test")
                .withLayout(InjectionSettings.SidecarLayout.CLASSIC, hold)).inject(POD, "hello");
    }

    @Test
    void withoutHoldingTheProxyRunsBesideTheApp() {
        Pod pod = inject(false);
        assertThat(pod.getSpec().getInitContainers()).extracting(Container::getName).containsExactly("istio-init");
        assertThat(pod.getSpec().getContainers()).extracting(Container::getName).containsExactly("hello", "istio-proxy");
        Container proxy = pod.getSpec().getContainers().get(1);
        assertThat(proxy.getRestartPolicy()).isNull();
        assertThat(proxy.getLifecycle()).isNull();
        assertThat(pod.getMetadata().getAnnotations().get("sidecar.istio.io/status"))
                .contains("\"initContainers\":[\"istio-init\"]", "\"containers\":[\"istio-proxy\"]");
    }

    @Test
    void holdingTheAppTheProxyComesFirstAndItsPostStartHookWaitsUntilItIsReady() {
        Pod pod = inject(true);
        assertThat(pod.getSpec().getContainers()).extracting(Container::getName).containsExactly("istio-proxy", "hello");
        assertThat(pod.getSpec().getContainers().getFirst().getLifecycle().getPostStart().getExec().getCommand())
                .containsExactly("weft-proxy", "wait");
        assertThat(pod.getMetadata().getAnnotations()).containsEntry("kubectl.kubernetes.io/default-container",
                "hello");
    }

    @Test
    void aPodCanAskForEitherLayoutItself() {
        Pod optIn = new PodBuilder(POD).editMetadata().addToAnnotations("sidecar.istio.io/nativeSidecar", "true")
                .endMetadata().build();
        Pod injected = new SidecarInjector(InjectionSettings.defaults("weft:test")
                .withLayout(InjectionSettings.SidecarLayout.CLASSIC, false)).inject(optIn, "hello");
        assertThat(injected.getSpec().getInitContainers()).extracting(Container::getName)
                .containsExactly("istio-init", "istio-proxy");
        assertThat(injected.getSpec().getInitContainers().get(1).getRestartPolicy()).isEqualTo("Always");
    }
}
