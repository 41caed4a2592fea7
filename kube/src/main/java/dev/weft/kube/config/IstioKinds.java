package dev.weft.kube.config;

import dev.weft.model.Kind;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** The Istio kinds weftd serves and the names the API server gives them. */
public final class IstioKinds {

    private IstioKinds() {
    }

    /** Every Istio kind the model reads (and so weftd serves). */
    public static List<Kind> all() {
        return Arrays.stream(Kind.values()).filter(Kind::isIstio).toList();
    }

    /** The resource name in URLs: {@code virtualservices}, {@code serviceentries}, {@code authorizationpolicies}. */
    public static String plural(Kind kind) {
        String singular = kind.kindName().toLowerCase(Locale.ROOT);
        boolean consonantY = singular.endsWith("y") && "aeiou".indexOf(singular.charAt(singular.length() - 2)) < 0;
        return consonantY ? singular.substring(0, singular.length() - 1) + "ies" : singular + "s";
    }

    public static ResourceDefinitionContext context(Kind kind, String version) {
        return new ResourceDefinitionContext.Builder().withGroup(kind.group()).withVersion(version)
                .withPlural(plural(kind)).withKind(kind.kindName()).withNamespaced(kind.isNamespaced()).build();
    }

    /**
     * The versions of {@code kind} the cluster serves and the model reads, newest first, from its
     * CustomResourceDefinition; none when the CRD is not installed.
     */
    public static List<String> servedVersions(KubernetesClient client, Kind kind) {
        CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions()
                .withName(plural(kind) + "." + kind.group()).get();
        if (crd == null) {
            return List.of();
        }
        Set<String> served = crd.getSpec().getVersions().stream().filter(v -> Boolean.TRUE.equals(v.getServed()))
                .map(CustomResourceDefinitionVersion::getName).collect(Collectors.toSet());
        return kind.versions().stream().filter(served::contains).toList();
    }
}
