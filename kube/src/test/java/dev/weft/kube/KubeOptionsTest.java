package dev.weft.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.kube.inject.InjectionSettings;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** weftd-kube's own options are taken out of the command line; the rest is weftd's. */
class KubeOptionsTest {

    @Test
    void webhookAndInjectionOptionsWithIstiosDefaults() {
        KubeOptions defaults = KubeOptions.parse(new String[] {"--data-dir", "/var/lib/weftd"});
        assertThat(defaults.weftdArgs()).containsExactly("--data-dir", "/var/lib/weftd");
        assertThat(defaults.webhooks().port()).isEqualTo(15017);
        assertThat(defaults.webhooks().injectorConfiguration()).isEqualTo("istio-sidecar-injector");
        assertThat(defaults.webhooks().validatorConfiguration()).isEqualTo("istio-validator-istio-system");
        assertThat(defaults.webhooks().injection().layout()).isEqualTo(InjectionSettings.SidecarLayout.NATIVE);
        assertThat(defaults.webhooks().injection().proxyInitImage()).as("the proxy's image captures too")
                .isEqualTo(defaults.webhooks().injection().proxyImage());

        KubeOptions set = KubeOptions.parse(new String[] {"--kubeconfig", "/k", "--xds-port", "15012",
            "--webhook-port", "9443", "--proxy-image", "reg/weft:1", "--sidecar-layout", "classic",
            "--hold-application-until-proxy-starts", "--revision", "canary", "--injector-webhook", "inj",
            "--validator-webhook", "val", "--proxy-init-image", "docker.io/istio/proxyv2:1.28.0"});
        assertThat(set.kubeconfig()).contains(Path.of("/k"));
        assertThat(set.weftdArgs()).containsExactly("--xds-port", "15012");
        assertThat(set.webhooks().port()).isEqualTo(9443);
        assertThat(set.webhooks().injection().proxyImage()).isEqualTo("reg/weft:1");
        assertThat(set.webhooks().injection().proxyInitImage()).isEqualTo("docker.io/istio/proxyv2:1.28.0");
        assertThat(set.webhooks().injection().layout()).isEqualTo(InjectionSettings.SidecarLayout.CLASSIC);
        assertThat(set.webhooks().injection().holdApplicationUntilProxyStarts()).isTrue();
        assertThat(set.webhooks().injection().revision()).isEqualTo("canary");
        assertThat(set.webhooks().injectorConfiguration()).isEqualTo("inj");
        assertThat(set.webhooks().validatorConfiguration()).isEqualTo("val");
    }

    @Test
    void badValuesAreNamed() {
        assertThatThrownBy(() -> KubeOptions.parse(new String[] {"--webhook-port", "70000"}))
                .hasMessage("--webhook-port 70000 is not a port (0-65535)");
        assertThatThrownBy(() -> KubeOptions.parse(new String[] {"--sidecar-layout", "sideways"}))
                .hasMessage("--sidecar-layout sideways is neither native nor classic");
        assertThatThrownBy(() -> KubeOptions.parse(new String[] {"--proxy-image"}))
                .hasMessage("--proxy-image needs a value");
    }
}
