package dev.weft.xds.golden;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.weft.model.load.ConfigLoader;
import dev.weft.model.load.LoadResult;
import dev.weft.xds.XdsJson;
import dev.weft.xds.XdsResources;
import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.push.MeshSettings;
import dev.weft.xds.push.PushContext;
import dev.weft.xds.registry.ConfigRegistry;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden files: each folder under {@code golden/} holds {@code config.yaml} (Istio and Kubernetes config),
 * {@code proxy.json} (the Envoy node: Istio node ID and metadata) and the expected xDS as YAML, one file per
 * type. {@code -Dweft.golden.update=true} rewrites the expectations; review them as a diff.
 */
class GoldenTest {

    private static final Path ROOT = Path.of("src/test/resources/golden");
    private static final boolean UPDATE = Boolean.getBoolean("weft.golden.update");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS));

    private static final Map<String, BiFunction<PushContext, ProxyNode, SortedMap<String, Message>>> TYPES = Map.of(
            "cds.yaml", XdsResources::clusters,
            "eds.yaml", XdsResources::endpoints,
            "lds.yaml", XdsResources::listeners,
            "rds.yaml", XdsResources::routes);

    @TestFactory
    Stream<DynamicContainer> everyFeature() throws IOException {
        List<Path> features;
        try (Stream<Path> dirs = Files.list(ROOT)) {
            features = dirs.filter(Files::isDirectory).sorted().toList();
        }
        assertThat(features).isNotEmpty();
        return features.stream().map(dir -> DynamicContainer.dynamicContainer(dir.getFileName().toString(),
                TYPES.keySet().stream().sorted().map(file -> DynamicTest.dynamicTest(file, () -> check(dir, file)))));
    }

    private static void check(Path dir, String file) throws IOException {
        LoadResult loaded = new ConfigLoader().load(dir.resolve("config.yaml"));
        assertThat(loaded.errors()).as("config.yaml loads cleanly").isEmpty();
        PushContext push = new PushContext(loaded.snapshot(),
                ConfigRegistry.build(loaded.snapshot(), List.of(), "cluster.local"), MeshSettings.DEFAULT);
        Node.Builder node = Node.newBuilder();
        JsonFormat.parser().merge(Files.readString(dir.resolve("proxy.json")), node);
        ProxyNode proxy = ProxyNode.fromNode(node.build());

        String actual = toYaml(TYPES.get(file).apply(push, proxy));
        Path expected = dir.resolve(file);
        if (UPDATE) {
            Files.writeString(expected, actual);
        }
        assertThat(expected).as("golden file missing: run with -Dweft.golden.update=true").exists();
        assertThat(actual).as("%s/%s (regenerate with -Dweft.golden.update=true)", dir.getFileName(), file)
                .isEqualTo(Files.readString(expected));
    }

    private static String toYaml(SortedMap<String, Message> resources) throws IOException {
        ArrayNode list = JSON.createArrayNode();
        for (Message resource : resources.values()) {
            JsonNode tree = JSON.readTree(XdsJson.print(resource));
            list.add(tree);
        }
        return YAML.writeValueAsString(list);
    }

}
