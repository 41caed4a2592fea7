package dev.weft.kube;

import dev.weft.controlplane.WeftdMain;
import dev.weft.controlplane.WeftdOptions;
import dev.weft.controlplane.config.ValidationObserver;
import dev.weft.kube.config.DiscoveryScope;
import dev.weft.kube.webhook.KubeWebhooks;
import dev.weft.model.load.ConfigLoader;
import dev.weft.model.load.MeshConfigLoader;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code weftd-kube [--kubeconfig FILE] [webhook options] [weftd's options]}: weftd serving a Kubernetes cluster's
 * config and workloads ({@link KubeSource}) besides its own sources, and its admission webhooks (sidecar injection,
 * validation: {@link KubeWebhooks}, options in {@link KubeOptions}). Without {@code --kubeconfig}, fabric8 finds the
 * cluster as kubectl does ({@code KUBECONFIG}, {@code ~/.kube/config}) or, inside a pod, by its service account.
 */
public final class WeftdKubeMain {

    /** How long the first list of everything may take before weftd gives up starting. */
    static final Duration SYNC_TIMEOUT = Duration.ofMinutes(2);

    private WeftdKubeMain() {
    }

    public static void main(String[] args) throws Exception {
        KubeOptions kube;
        WeftdOptions options;
        try {
            kube = KubeOptions.parse(args);
            options = WeftdMain.parse(kube.weftdArgs().toArray(String[]::new));
            if (kube.kubeconfig().isPresent() && !Files.isReadable(kube.kubeconfig().get())) {
                throw new IllegalArgumentException("--kubeconfig " + kube.kubeconfig().get() + " cannot be read");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("weftd: " + e.getMessage());
            System.err.println("usage: weftd-kube [--kubeconfig FILE] [--webhook-port 15017] [--proxy-image IMAGE]"
                    + " [--proxy-init-image IMAGE]"
                    + " [--sidecar-layout native|classic] [--hold-application-until-proxy-starts] [--revision REV]"
                    + " [--injector-webhook NAME] [--validator-webhook NAME] [weftd's options]");
            System.exit(2);
            return;
        }
        Config config = kube.kubeconfig().isPresent()
                ? Config.fromKubeconfig(Files.readString(kube.kubeconfig().get())) : Config.autoConfigure(null);
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
        KubeSource source = KubeSource.start(client, new ConfigLoader(), ValidationObserver.NONE, SYNC_TIMEOUT,
                election(System.getenv()), discovery(options));
        Optional<KubeWebhooks> webhooks = Optional.empty();
        if (options.dataDir().isPresent()) {
            webhooks = Optional.of(webhooks(client, options, kube.webhooks(), source));
            System.out.println("weftd webhook-port=" + webhooks.get().port());
        } else {
            System.err.println("weftd: no admission webhooks without --data-dir (their certificate is from its CA)");
        }
        WeftdMain.run(options.withSource(new ClientClosing(source, webhooks, client)));
    }

    /**
     * The admission webhooks, their caBundles and the namespaces' root certificate written while {@code source}'s
     * replica leads, and caught up each time it becomes the leader.
     */
    static KubeWebhooks webhooks(KubernetesClient client, WeftdOptions options, KubeWebhooks.Settings settings,
            KubeSource source) throws java.io.IOException {
        KubeWebhooks webhooks = KubeWebhooks.start(client, options, settings, source::leading);
        source.onEachLead(webhooks::writeAll);
        return webhooks;
    }

    /**
     * The mesh config's discovery selectors as {@code --mesh-config} gives them at start; the {@code istio} ConfigMap's,
     * followed as they change, take over while it holds a mesh config ({@link KubeSource}).
     */
    static DiscoveryScope discovery(WeftdOptions options) {
        return options.meshConfig().flatMap(file -> new MeshConfigLoader().load(file).config())
                .map(mesh -> new DiscoveryScope(mesh.discoverySelectors())).orElse(DiscoveryScope.EVERYTHING);
    }

    /**
     * The replica's place in the status election: the pod's namespace and name, as the Downward API gives them
     * ({@code POD_NAMESPACE}, {@code POD_NAME}; istiod's names), else istio-system and the host name.
     */
    static StatusLeadership.Election election(java.util.Map<String, String> env) {
        String namespace = env.getOrDefault("POD_NAMESPACE", "istio-system");
        String identity = env.getOrDefault("POD_NAME", env.getOrDefault("HOSTNAME", "weftd"));
        return new StatusLeadership.Election(namespace, identity, StatusLeadership.Timing.DEFAULT);
    }

    /**
     * The source, and the webhooks and the client after it: the main made them, weftd closes its sources.
     */
    private record ClientClosing(KubeSource source, Optional<KubeWebhooks> webhooks, KubernetesClient client)
            implements dev.weft.controlplane.MeshSource {

        @Override
        public dev.weft.controlplane.config.ConfigStore config() {
            return source.config();
        }

        @Override
        public dev.weft.controlplane.registry.WorkloadSource workloads() {
            return source.workloads();
        }

        @Override
        public dev.weft.controlplane.config.CredentialSource credentials() {
            return source.credentials();
        }

        @Override
        public Optional<dev.weft.controlplane.ca.WorkloadTokens> workloadTokens(String trustDomain) {
            return source.workloadTokens(trustDomain);
        }

        @Override
        public void close() {
            webhooks.ifPresent(KubeWebhooks::close);
            source.close();
            client.close();
        }
    }
}
