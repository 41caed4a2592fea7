package dev.weft.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weft.controlplane.config.ValidationObserver;
import dev.weft.kube.authn.ServiceAccountTokens;
import dev.weft.kube.config.IstioKinds;
import dev.weft.model.Kind;
import dev.weft.model.load.ConfigLoader;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * weftd's ClusterRole and Role (deploy/kubernetes/weftd.yaml) grant what the Kubernetes source does and nothing more: every
 * request KubeSource makes against the mock API server (listing and watching everything, reading the CRDs, writing a
 * rejected resource's status and Event; reviewing a workload's token) is mapped to the (group, resource, verb) the API
 * server's authorizer checks, and the rules are compared with that set.
 */
class KubeRbacTest {

    private static final Path WEFTD = Path.of("../deploy/kubernetes/weftd.yaml");

    /**
     * Granted for code outside KubeSource: the admission webhooks keep their configurations' caBundle in sync with
     * weftd's CA (an informer on each by name, then a patch), the injector reads a pod's namespace, and the mesh
     * root is published in every namespace's istio-ca-root-cert.
     */
    private static final Set<String> WEBHOOK_CA_BUNDLE = Set.of(
            "admissionregistration.k8s.io mutatingwebhookconfigurations get",
            "admissionregistration.k8s.io mutatingwebhookconfigurations list",
            "admissionregistration.k8s.io mutatingwebhookconfigurations watch",
            "admissionregistration.k8s.io mutatingwebhookconfigurations patch",
            "admissionregistration.k8s.io validatingwebhookconfigurations get",
            "admissionregistration.k8s.io validatingwebhookconfigurations list",
            "admissionregistration.k8s.io validatingwebhookconfigurations watch",
            "admissionregistration.k8s.io validatingwebhookconfigurations patch",
            " namespaces get",
            " configmaps get",
            " configmaps create",
            " configmaps patch");

    @Test
    void theClusterRoleGrantsExactlyWhatTheSourceRequests() throws Exception {
        List<String> requests = new ArrayList<>();
        Set<String> used = new TreeSet<>();
        try (MockApiServer api = new MockApiServer(); KubernetesClient client = api.client()) {
            ServiceAccountTokens tokens = new ServiceAccountTokens().on(api);
            KubeCluster cluster = new KubeCluster(client).withIstioCrds().withNode().withBookinfo();
            // One rejected resource of every kind, so the status of each is written.
            for (Kind kind : IstioKinds.all()) {
                cluster.istio("""
                        apiVersion: %s/%s
                        kind: %s
                        metadata: {name: rejected}
                        spec: {notAField: 1}
                        """.formatted(kind.group(), kind.versions().getFirst(), kind.kindName()));
            }
            api.requests();
            try (KubeSource kube = KubeSource.start(client, new ConfigLoader(), ValidationObserver.NONE,
                    Duration.ofSeconds(30), new StatusLeadership.Election("istio-system", "weftd-0",
                            new StatusLeadership.Timing(Duration.ofSeconds(2), Duration.ofMillis(1500),
                                    Duration.ofMillis(200))))) {
                await().atMost(Duration.ofSeconds(10)).until(kube::leading);
                kube.workloadTokens("cluster.local").orElseThrow().identify(tokens.serviceAccount("default", "sleep",
                        "istio-ca", Instant.now().plusSeconds(3600)));
                assertThat(kube.config().errors()).extracting(e -> e.file()).hasSize(IstioKinds.all().size());
                // Only the source's requests reach the server from here on: the test waits on what it sees.
                await().atMost(Duration.ofSeconds(5)).until(() -> {
                    requests.addAll(api.requests());
                    return requests.stream().filter(r -> r.startsWith("POST /api/v1/namespaces/default/events"))
                            .count() == IstioKinds.all().size();
                });
            }
            requests.addAll(api.requests());
        }
        requests.forEach(request -> used.add(authorized(request)));
        Set<String> granted = granted();
        assertThat(used).as("used by KubeSource, not granted").isSubsetOf(granted);
        Set<String> unused = new TreeSet<>(granted);
        unused.removeAll(used);
        assertThat(unused).as("granted, used by nothing").isEqualTo(new TreeSet<>(WEBHOOK_CA_BUNDLE));
    }

    @Test
    void requestsAreNamedAsTheAuthorizerNamesThem() {
        assertThat(authorized("GET /api/v1/pods?allowWatchBookmarks=true&watch=true")).isEqualTo(" pods watch");
        assertThat(authorized("GET /api/v1/namespaces?resourceVersion=0")).isEqualTo(" namespaces list");
        assertThat(authorized("GET /api/v1/namespaces/default")).isEqualTo(" namespaces get");
        assertThat(authorized("POST /api/v1/namespaces/default/events")).isEqualTo(" events create");
        assertThat(authorized("POST /apis/authentication.k8s.io/v1/tokenreviews"))
                .isEqualTo("authentication.k8s.io tokenreviews create");
        assertThat(authorized("PATCH /apis/networking.istio.io/v1/namespaces/default/virtualservices/reviews/status"))
                .isEqualTo("networking.istio.io virtualservices/status patch");
        assertThat(authorized("GET /apis/apiextensions.k8s.io/v1/customresourcedefinitions/sidecars.networking.istio.io"))
                .isEqualTo("apiextensions.k8s.io customresourcedefinitions get");
    }

    /** "group resource[/subresource] verb" of a request line, as the API server's RBAC authorizer sees it. */
    static String authorized(String request) {
        String method = request.substring(0, request.indexOf(' '));
        String url = request.substring(method.length() + 1);
        String path = url.replaceFirst("\\?.*", "");
        boolean watch = url.matches(".*[?&]watch=true.*");
        String[] parts = path.substring(1).split("/");
        String group = parts[0].equals("api") ? "" : parts[1];
        int rest = parts[0].equals("api") ? 2 : 3;
        if (parts.length > rest + 2 && parts[rest].equals("namespaces")) {
            rest += 2;
        }
        String resource = parts[rest];
        boolean named = parts.length > rest + 1;
        if (parts.length > rest + 2) {
            resource += "/" + parts[rest + 2];
        }
        String verb = switch (method) {
            case "GET" -> watch ? "watch" : named ? "get" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> named ? "delete" : "deletecollection";
            default -> throw new IllegalArgumentException(request);
        };
        return group + " " + resource + " " + verb;
    }

    private static Set<String> granted() throws Exception {
        List<HasMetadata> objects = new KubernetesSerialization().unmarshal(Files.readString(WEFTD));
        ClusterRole role = objects.stream().filter(ClusterRole.class::isInstance).map(ClusterRole.class::cast)
                .findFirst().orElseThrow();
        List<PolicyRule> rules = new ArrayList<>(role.getRules());
        objects.stream().filter(Role.class::isInstance).map(Role.class::cast)
                .forEach(namespaced -> rules.addAll(namespaced.getRules()));
        Set<String> granted = new TreeSet<>();
        for (PolicyRule rule : rules) {
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    rule.getVerbs().forEach(verb -> granted.add(group + " " + resource + " " + verb));
                }
            }
        }
        return granted;
    }
}
