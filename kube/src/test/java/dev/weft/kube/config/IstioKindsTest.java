package dev.weft.kube.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.model.Kind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IstioKindsTest {

    private static final Path CRDS = Path.of(System.getProperty("weft.shared.dir", "../../shared"),
            "istio/corpus/manifests/charts/base/files/crd-all.gen.yaml");

    @Test
    void everyKindWeftdServesHasTheNamesAndVersionsOfIstiosOwnCrd() throws Exception {
        Map<String, CustomResourceDefinition> byKind = new HashMap<>();
        try (InputStream in = Files.newInputStream(CRDS)) {
            List<HasMetadata> crds = new KubernetesSerialization().unmarshal(in);
            crds.stream().map(CustomResourceDefinition.class::cast)
                    .forEach(crd -> byKind.put(crd.getSpec().getNames().getKind(), crd));
        }
        assertThat(IstioKinds.all()).hasSize(11);
        for (Kind kind : IstioKinds.all()) {
            CustomResourceDefinition crd = byKind.get(kind.kindName());
            assertThat(crd).as(kind.kindName()).isNotNull();
            assertThat(IstioKinds.plural(kind)).isEqualTo(crd.getSpec().getNames().getPlural());
            assertThat(crd.getSpec().getGroup()).isEqualTo(kind.group());
            assertThat(crd.getSpec().getVersions()).extracting(v -> v.getName()).containsAll(kind.versions());
        }
    }
}
