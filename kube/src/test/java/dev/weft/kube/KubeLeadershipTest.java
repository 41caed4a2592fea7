package dev.weft.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weft.controlplane.WeftdOptions;
import dev.weft.controlplane.ca.CertificateAuthority;
import dev.weft.controlplane.config.ValidationObserver;
import dev.weft.kube.config.IstioKinds;
import dev.weft.kube.inject.InjectionSettings;
import dev.weft.kube.webhook.KubeWebhooks;
import dev.weft.kube.webhook.RootCertPublisher;
import dev.weft.model.Kind;
import dev.weft.model.load.ConfigLoader;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two weftd replicas watch one cluster: both take its config, one holds the Lease and alone writes status, Events,
 * root certificates and caBundles; when it goes, the other takes the Lease and writes what is still unwritten.
 */
class KubeLeadershipTest {

    private static final StatusLeadership.Timing QUICK = new StatusLeadership.Timing(Duration.ofSeconds(2),
            Duration.ofMillis(1500), Duration.ofMillis(200));

    private static String invalid(String name) {
        return """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: %s, namespace: default}
                spec:
                  hosts: [%s]
                  http:
                  - route:
                    - destination: {host: %s}
                      weight: -1
                """.formatted(name, name, name);
    }

    private static KubeSource replica(KubernetesClient client, String name) throws Exception {
        return KubeSource.start(client, new ConfigLoader(), ValidationObserver.NONE, Duration.ofSeconds(30),
                new StatusLeadership.Election("istio-system", name, QUICK));
    }

    @Test
    void oneReplicaWritesStatusAndAnotherTakesOverWhenItGoes() throws Exception {
        try (MockApiServer api = new MockApiServer(); KubernetesClient client = api.client()) {
            KubeCluster cluster = new KubeCluster(client).withIstioCrds();
            KubeSource first = replica(client, "weftd-a");
            KubeSource second = replica(client, "weftd-b");
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> first.leading() || second.leading());
                assertThat(first.leading() && second.leading()).as("one leader").isFalse();
                KubeSource leader = first.leading() ? first : second;
                KubeSource follower = leader == first ? second : first;

                cluster.istio(invalid("reviews"));
                await().atMost(Duration.ofSeconds(5)).until(() -> status(client, "reviews") != null);
                await().atMost(Duration.ofSeconds(5)).until(() -> follower.config().errors().size() == 1);
                assertThat(client.v1().events().inNamespace("default").list().getItems())
                        .as("the follower saw the same rejection and wrote nothing").hasSize(1);

                leader.close();
                await().atMost(Duration.ofSeconds(10)).until(follower::leading);
                cluster.istio(invalid("ratings"));
                await().atMost(Duration.ofSeconds(5)).until(() -> status(client, "ratings") != null);
                assertThat(client.v1().events().inNamespace("default").list().getItems()).hasSize(2);
            } finally {
                first.close();
                second.close();
            }
        }
    }

    @Test
    void onlyTheLeaderPublishesRootCertificatesAndCaBundlesAndTheOtherCatchesUpWhenItGoes(@TempDir Path dataA,
            @TempDir Path dataB) throws Exception {
        // Each replica has a CA of its own here, so what is written tells which replica wrote it.
        Map<String, String> roots = Map.of("weftd-a", root(dataA), "weftd-b", root(dataB));
        try (MockApiServer api = new MockApiServer(); KubernetesClient client = api.client()) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata()
                    .build()).create();
            client.admissionRegistration().v1().validatingWebhookConfigurations().resource(
                    new ValidatingWebhookConfigurationBuilder().withNewMetadata().withName(VALIDATOR).endMetadata()
                            .addNewWebhook().withName("validation.istio.io").withNewClientConfig()
                            .withUrl("https://istiod.istio-system.svc:443/validate").endClientConfig()
                            .withSideEffects("None").withAdmissionReviewVersions("v1").endWebhook().build())
                    .create();
            KubeSource first = replica(client, "weftd-a");
            KubeSource second = replica(client, "weftd-b");
            KubeWebhooks firstWebhooks = WeftdKubeMain.webhooks(client, webhookOptions(dataA), WEBHOOKS, first);
            KubeWebhooks secondWebhooks = WeftdKubeMain.webhooks(client, webhookOptions(dataB), WEBHOOKS, second);
            List<AutoCloseable> running = new ArrayList<>(List.of(firstWebhooks, first, secondWebhooks, second));
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> first.leading() || second.leading());
                boolean firstLeads = first.leading();
                String leaderRoot = roots.get(firstLeads ? "weftd-a" : "weftd-b");
                String followerRoot = roots.get(firstLeads ? "weftd-b" : "weftd-a");

                await().atMost(Duration.ofSeconds(10)).until(() -> written(client, "shop", leaderRoot));
                client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("late").endMetadata()
                        .build()).create();
                await().atMost(Duration.ofSeconds(10)).until(() -> written(client, "late", leaderRoot));
                await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(3)).alias("the follower writes nothing")
                        .until(() -> written(client, "shop", leaderRoot) && written(client, "late", leaderRoot));

                for (AutoCloseable leader : firstLeads ? List.of(firstWebhooks, first)
                        : List.<AutoCloseable>of(secondWebhooks, second)) {
                    leader.close();
                    running.remove(leader);
                }
                await().atMost(Duration.ofSeconds(10)).until(firstLeads ? second::leading : first::leading);
                await().atMost(Duration.ofSeconds(10)).alias("the new leader catches up with no change to see")
                        .until(() -> written(client, "shop", followerRoot) && written(client, "late", followerRoot));
            } finally {
                for (AutoCloseable replica : running) {
                    replica.close();
                }
            }
        }
    }

    private static final String VALIDATOR = "istio-validator-istio-system";
    private static final KubeWebhooks.Settings WEBHOOKS = new KubeWebhooks.Settings(0,
            InjectionSettings.defaults("weft:test"), "istio-sidecar-injector", VALIDATOR);

    private static WeftdOptions webhookOptions(Path data) {
        return WeftdOptions.defaults().withDataDir(data).withBindAddress("127.0.0.1").withPorts(0, 0);
    }

    private static String root(Path data) throws Exception {
        return CertificateAuthority.loadOrCreate(Optional.empty(), data, "cluster.local", Clock.systemUTC())
                .rootPem();
    }

    /** Whether the namespace's istio-ca-root-cert and the validator's caBundle are this root. */
    private static boolean written(KubernetesClient client, String namespace, String root) {
        ConfigMap published = client.configMaps().inNamespace(namespace).withName(RootCertPublisher.NAME).get();
        String bundle = client.admissionRegistration().v1().validatingWebhookConfigurations().withName(VALIDATOR)
                .get().getWebhooks().getFirst().getClientConfig().getCaBundle();
        return published != null && root.equals(published.getData().get(RootCertPublisher.KEY))
                && Base64.getEncoder().encodeToString(root.getBytes(StandardCharsets.UTF_8)).equals(bundle);
    }

    @Test
    void aPodTakesPartAsItsNameInItsNamespace() {
        assertThat(WeftdKubeMain.election(Map.of("POD_NAMESPACE", "mesh", "POD_NAME", "weftd-7c9f")))
                .isEqualTo(new StatusLeadership.Election("mesh", "weftd-7c9f", StatusLeadership.Timing.DEFAULT));
        assertThat(WeftdKubeMain.election(Map.of("HOSTNAME", "host-1")).namespace()).isEqualTo("istio-system");
        assertThat(WeftdKubeMain.election(Map.of("HOSTNAME", "host-1")).identity()).isEqualTo("host-1");
    }

    private static Object status(KubernetesClient client, String name) {
        GenericKubernetesResource resource = client.genericKubernetesResources(
                IstioKinds.context(Kind.VIRTUAL_SERVICE, "v1")).inNamespace("default").withName(name).get();
        return resource != null && resource.getAdditionalProperties().get("status") instanceof Map<?, ?> status
                ? status.get("validationMessages") : null;
    }
}
