package dev.weft.proxy.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.proxy.bootstrap.BootstrapLoader;
import dev.weft.proxy.bootstrap.BootstrapResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

class EnvoyBootstrapTest {

    /** Strings a YAML reader would take for a boolean, a number, a date, a null or a comment, were they plain. */
    private static final List<String> LOOK_TYPED = List.of("on", "yes", "No", "true", "2026-01-01", "0o17", "010",
            "0x1F", "1:20", "1_000", ".inf", "~", "null", "", "# not a comment", "@type", "multi\nline", "a: b");
    private static final Map<String, Object> METADATA = LOOK_TYPED.stream()
            .collect(Collectors.toMap(s -> "k" + LOOK_TYPED.indexOf(s), s -> s, (a, b) -> a, LinkedHashMap::new));

    private static Map<String, Object> bootstrap() {
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("id", "sidecar~10.0.0.1~web.default~default.svc.cluster.local");
        node.put("cluster", "web.default");
        node.put("metadata", METADATA);
        return EnvoyBootstrap.of(node, new EnvoyBootstrap.Ports("127.0.0.1", 15000, "0.0.0.0", 15021, 15090),
                new EnvoyBootstrap.ControlPlane("istiod.istio-system.svc", 15012, Optional.empty()),
                EnvoyBootstrap.StatsInclusions.NONE);
    }

    @Test
    void itsYamlAndItsJsonAreTheSameBootstrap() {
        BootstrapResult yaml = new BootstrapLoader().parse(EnvoyBootstrap.yaml(bootstrap()));
        BootstrapResult json = new BootstrapLoader().parse(EnvoyBootstrap.json(bootstrap()));

        assertThat(yaml).isInstanceOf(BootstrapResult.Valid.class).isEqualTo(json);
        var metadata = ((BootstrapResult.Valid) yaml).bootstrap().getNode().getMetadata().getFieldsMap();
        METADATA.forEach((key, value) -> assertThat(metadata.get(key).getStringValue()).as(key).isEqualTo(value));
        assertThat(((BootstrapResult.Valid) yaml).bootstrap().getAdmin().getAddress().getSocketAddress()
                .getPortValue()).isEqualTo(15000);
    }

    /** A YAML 1.1 reader (SnakeYAML's default, and many tools') reads the same strings. */
    @Test
    @SuppressWarnings("unchecked")
    void itsYamlReadsTheSameInYaml11() {
        String yaml = EnvoyBootstrap.yaml(bootstrap());
        Map<String, Object> read = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);

        assertThat(((Map<String, Object>) read.get("node")).get("metadata")).isEqualTo(METADATA);
        assertThat(read.get("stats_config")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("use_all_default_tags", false);
        assertThat(yaml).as("Map.of() used twice is written twice, not aliased").doesNotContain("&id", "*id");
    }
}
