package dev.weft.xds.simulation;

import static org.assertj.core.api.Assertions.assertThatCode;

import dev.weft.model.load.ConfigLoader;
import dev.weft.model.load.LoadResult;
import dev.weft.proxy.router.RouteTableCompiler;
import dev.weft.proxy.upstream.ClusterCompiler;
import dev.weft.xds.cluster.ClusterGenerator;
import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.push.MeshSettings;
import dev.weft.xds.push.PushContext;
import dev.weft.xds.registry.ConfigRegistry;
import dev.weft.xds.route.RouteGenerator;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every golden feature's clusters and routes compile in weft-proxy without a NACK-worthy error. */
class ProxyAcceptanceTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    @TestFactory
    Stream<DynamicTest> proxyAcceptsGeneratedClustersAndRoutes() throws IOException {
        List<Path> features;
        try (Stream<Path> dirs = Files.list(GOLDEN)) {
            features = dirs.filter(Files::isDirectory).sorted().toList();
        }
        return features.stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> {
            LoadResult loaded = new ConfigLoader().load(dir.resolve("config.yaml"));
            PushContext push = new PushContext(loaded.snapshot(),
                    ConfigRegistry.build(loaded.snapshot(), List.of(), "cluster.local"), MeshSettings.DEFAULT);
            Node.Builder node = Node.newBuilder();
            JsonFormat.parser().merge(Files.readString(dir.resolve("proxy.json")), node);
            ProxyNode proxy = ProxyNode.fromNode(node.build());
            for (var cluster : ClusterGenerator.generate(push, proxy)) {
                assertThatCode(() -> ClusterCompiler.compile(cluster)).as(cluster.getName()).doesNotThrowAnyException();
            }
            for (var routes : RouteGenerator.generate(push, proxy)) {
                assertThatCode(() -> RouteTableCompiler.compile(routes)).as(routes.getName()).doesNotThrowAnyException();
            }
        }));
    }
}
