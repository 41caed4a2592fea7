package dev.weft.kube;

import dev.weft.api.WeftVersion;
import dev.weft.kube.inject.InjectionSettings;
import dev.weft.kube.webhook.KubeWebhooks;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The options {@code weftd-kube} adds to weftd's: the cluster ({@code --kubeconfig}) and the admission webhooks
 * ({@code --webhook-port}, 15017 by default; {@code --proxy-image}, {@code --proxy-init-image} (the capture's, the
 * proxy's by default), {@code --sidecar-layout native|classic},
 * {@code --hold-application-until-proxy-starts}, {@code --revision}, and the names of the webhook configurations
 * whose caBundle weftd keeps, Istio's by default). The rest of the command line is weftd's.
 */
record KubeOptions(Optional<Path> kubeconfig, KubeWebhooks.Settings webhooks, List<String> weftdArgs) {

    static final int WEBHOOK_PORT = 15017;
    static final String INJECTOR_CONFIGURATION = "istio-sidecar-injector";
    static final String VALIDATOR_CONFIGURATION = "istio-validator-istio-system";
    /** The image with weft and weft-proxy, as the build names it; an install sets the one it pushed. */
    static final String DEFAULT_PROXY_IMAGE = "weft:" + WeftVersion.get();

    static KubeOptions parse(String[] args) {
        Optional<Path> kubeconfig = Optional.empty();
        int port = WEBHOOK_PORT;
        String image = DEFAULT_PROXY_IMAGE;
        String initImage = null;
        InjectionSettings.SidecarLayout layout = InjectionSettings.SidecarLayout.NATIVE;
        boolean hold = false;
        String revision = "default";
        String injector = INJECTOR_CONFIGURATION;
        String validator = VALIDATOR_CONFIGURATION;
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--hold-application-until-proxy-starts")) {
                hold = true;
                continue;
            }
            boolean ours = switch (flag) {
                case "--kubeconfig", "--webhook-port", "--proxy-image", "--proxy-init-image", "--sidecar-layout",
                        "--revision",
                        "--injector-webhook", "--validator-webhook" -> true;
                default -> false;
            };
            if (!ours) {
                rest.add(flag);
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String value = args[++i];
            switch (flag) {
                case "--kubeconfig" -> kubeconfig = Optional.of(Path.of(value));
                case "--webhook-port" -> port = port(value);
                case "--proxy-image" -> image = value;
                case "--proxy-init-image" -> initImage = value;
                case "--sidecar-layout" -> layout = switch (value.toLowerCase(Locale.ROOT)) {
                    case "native" -> InjectionSettings.SidecarLayout.NATIVE;
                    case "classic" -> InjectionSettings.SidecarLayout.CLASSIC;
                    default -> throw new IllegalArgumentException("--sidecar-layout " + value
                            + " is neither native nor classic");
                };
                case "--revision" -> revision = value;
                case "--injector-webhook" -> injector = value;
                default -> validator = value;
            }
        }
        InjectionSettings injection = InjectionSettings.defaults(image).withLayout(layout, hold).withRevision(revision)
                .withProxyInitImage(initImage == null ? image : initImage);
        return new KubeOptions(kubeconfig, new KubeWebhooks.Settings(port, injection, injector, validator),
                List.copyOf(rest));
    }

    private static int port(String value) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IllegalArgumentException("--webhook-port " + value + " is not a port (0-65535)");
    }
}
