package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weft.cli.local.AddressPlan;
import dev.weft.cli.local.ProxyBootstrap;
import dev.weft.cli.local.WorkloadSpec;
import dev.weft.controlplane.Weftd;
import dev.weft.controlplane.WeftdOptions;
import dev.weft.proxy.bootstrap.BootstrapLoader;
import dev.weft.proxy.bootstrap.BootstrapResult;
import dev.weft.proxy.server.ProxyOptions;
import dev.weft.proxy.server.ProxyServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code weft proxy-status} against a real weftd with a real sidecar connected over ADS (TLS, as weft up runs it). */
class ProxyStatusCommandTest {

  private static final WorkloadSpec RATINGS = new WorkloadSpec("ratings-v1", "default", "bookinfo-ratings",
      Map.of("app", "ratings", "version", "v1"), List.of(9080),
      new WorkloadSpec.JavaMain("dev.weft.examples.SampleApps", List.of("ratings")), Map.of(), Optional.empty(),
      false);

  @Test
  void aConnectedSidecarIsListedAsSyncedPerType(@TempDir Path data) throws Exception {
    try (Weftd weftd = Weftd.start(WeftdOptions.defaults().withDataDir(data).withPorts(0, 0))) {
      String url = "http://127.0.0.1:" + weftd.httpPort();
      CliRun empty = CliRun.of("proxy-status", "--weftd", url);
      assertThat(empty.exitCode()).isZero();
      assertThat(empty.out().lines()).containsExactly("NAME   CDS   LDS   EDS   RDS   ISTIOD");

      String yaml = ProxyBootstrap.yaml(ProxyBootstrap.sidecar(RATINGS,
          new AddressPlan(AddressPlan.Mode.ADDRESSES, 9).workload(3, RATINGS.ports())),
          ProxyBootstrap.XdsServer.tls("127.0.0.1", weftd.xdsPort(), data.resolve(Weftd.ROOT_CERT_FILE)));
      var bootstrap = ((BootstrapResult.Valid) new BootstrapLoader().parse(yaml)).bootstrap();
      try (ProxyServer proxy = ProxyServer.start(bootstrap, ProxyOptions.defaults().withWorkerThreads(1))) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
          CliRun run = CliRun.of("proxy-status", "--weftd", url);
          assertThat(run.exitCode()).as(run.out()).isZero();
          assertThat(run.out()).containsPattern(
              "sidecar~127\\.0\\.9\\.5~ratings-v1\\.default~default\\.svc\\.cluster\\.local +SYNCED +SYNCED +");
        });
        CliRun filtered = CliRun.of("proxy-status", "--weftd", url, "no-such-proxy");
        assertThat(filtered.out().lines()).hasSize(1);
      }
    }
  }

  @Test
  void withoutAMeshOrWeftdItSaysWhatToDo() {
    CliRun run = CliRun.of("proxy-status", "--state-dir", "/nonexistent-weft-state");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("no local mesh is running");
  }
}
