package dev.weft.cli.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LocalRuntimeTest {

  private static final WorkloadAddress ADDRESS = new AddressPlan(AddressPlan.Mode.ADDRESSES, 1)
      .workload(5, List.of(9080), List.of());

  private static WorkloadSpec workload(Map<String, String> env, Optional<String> health, boolean job) {
    return new WorkloadSpec("productpage-v1", "default", "bookinfo-productpage", Map.of("app", "productpage"),
        job ? List.of() : List.of(9080), new WorkloadSpec.JavaMain("dev.weft.examples.SampleApps",
            List.of("productpage")), env, health, job);
  }

  @Test
  void anAppCallsPeersByNameThroughItsSidecarsOutboundListener() {
    Map<String, String> env = LocalRuntime.appEnvironment(workload(Map.of(), Optional.empty(), false), ADDRESS,
        List.of(new LocalMesh.ServiceRef("details", "default", 9080, List.of()),
            new LocalMesh.ServiceRef("ratings", "shop", 9080, List.of())));
    assertThat(env).containsEntry("HTTP_PROXY", "http://127.0.1.7:15001")
        .containsEntry("http_proxy", "http://127.0.1.7:15001")
        .containsEntry("HTTPS_PROXY", "http://127.0.1.7:15001")
        .containsEntry("https_proxy", "http://127.0.1.7:15001")
        .containsEntry("BIND", "127.0.1.7")
        .containsEntry("PORT", "9080")
        .containsEntry("POD_NAME", "productpage-v1")
        .containsEntry("SERVICE_ACCOUNT", "bookinfo-productpage")
        .containsEntry("PROXY_ADMIN_PORT", "15000")
        .containsEntry("DETAILS_URL", "http://details:9080")
        .containsEntry("RATINGS_URL", "http://ratings.shop:9080");
  }

  /** A TCP dependency is reached through an egress listener of the sidecar, told to the app as host:port. */
  @Test
  void anAppIsToldWhereItsSidecarsEgressListenerForEachTcpServicePortIs() {
    LocalMesh.ServiceRef echo = new LocalMesh.ServiceRef("tcp-echo", "default", 9000, List.of(9000, 9001));
    LocalMesh.ServiceRef otherEcho = new LocalMesh.ServiceRef("tcp-echo", "shop", 9000, List.of(9000));
    List<LocalMesh.ServiceRef> services = List.of(echo, otherEcho);
    WorkloadAddress addressed = new AddressPlan(AddressPlan.Mode.ADDRESSES, 1).workload(5, List.of(9080), services);
    assertThat(LocalRuntime.appEnvironment(workload(Map.of(), Optional.empty(), false), addressed, services))
        .containsEntry("TCP_ECHO_9000_ADDR", "127.0.1.7:9000").containsEntry("TCP_ECHO_9001_ADDR", "127.0.1.7:9001");
    WorkloadAddress block = new AddressPlan(AddressPlan.Mode.PORT_BLOCKS, 1).workload(5, List.of(9080), services);
    assertThat(LocalRuntime.appEnvironment(workload(Map.of(), Optional.empty(), false), block, services))
        .containsEntry("TCP_ECHO_9000_ADDR", "127.0.0.1:20570").containsEntry("TCP_ECHO_9001_ADDR", "127.0.0.1:20571");
  }

  /** Under capture the app knows nothing of its sidecar: names resolve to VIPs and iptables does the rest. */
  @Test
  void aCapturedAppHasNoProxyVariablesAndListensOnEveryAddressOfItsNamespace() {
    WorkloadAddress address = CaptureNetwork.address("10.250.4.7", List.of(9080));
    Map<String, String> env = LocalRuntime.capturedAppEnvironment(
        workload(Map.of("EXTRA", "1"), Optional.empty(), false), address,
        List.of(new LocalMesh.ServiceRef("details", "default", 9080, List.of())));
    assertThat(env).doesNotContainKeys("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy")
        .containsEntry("BIND", "0.0.0.0").containsEntry("PORT", "9080").containsEntry("INSTANCE_IP", "10.250.4.7")
        .containsEntry("DETAILS_URL", "http://details:9080").containsEntry("EXTRA", "1");
    assertThat(LocalRuntime.capturedAppEnvironment(workload(Map.of("BIND", "10.250.4.7"), Optional.empty(), false),
        address, List.of())).containsEntry("BIND", "10.250.4.7");
  }

  @Test
  void withPortBlocksTheAppListensOnItsBlocksAppPort() {
    WorkloadAddress block = new AddressPlan(AddressPlan.Mode.PORT_BLOCKS, 1).workload(5, List.of(9080), List.of());
    Map<String, String> env = LocalRuntime.appEnvironment(workload(Map.of(), Optional.empty(), false), block,
        List.of(new LocalMesh.ServiceRef("details", "default", 9080, List.of())));
    assertThat(env).containsEntry("BIND", "127.0.0.1").containsEntry("PORT", "20550")
        .containsEntry("HTTP_PROXY", "http://127.0.0.1:20501").containsEntry("DETAILS_URL", "http://details:9080");
    assertThat(LocalRuntime.health(workload(Map.of(), Optional.of("/health"), false), block))
        .isEqualTo("http://127.0.0.1:20550/health");
  }

  @Test
  void theWorkloadsOwnEnvironmentWins() {
    Map<String, String> env = LocalRuntime.appEnvironment(
        workload(Map.of("DETAILS_URL", "http://elsewhere:1", "PORT", "9999"), Optional.empty(), false), ADDRESS,
        List.of(new LocalMesh.ServiceRef("details", "default", 9080, List.of())));
    assertThat(env).containsEntry("DETAILS_URL", "http://elsewhere:1").containsEntry("PORT", "9999");
  }

  @Test
  void healthIsTheHttpPathOrTheFirstPortAndNoneForAJob() {
    assertThat(LocalRuntime.health(workload(Map.of(), Optional.of("/health"), false), ADDRESS))
        .isEqualTo("http://127.0.1.7:9080/health");
    assertThat(LocalRuntime.health(workload(Map.of(), Optional.empty(), false), ADDRESS))
        .isEqualTo("tcp://127.0.1.7:9080");
    assertThat(LocalRuntime.health(workload(Map.of(), Optional.empty(), true), ADDRESS)).isEmpty();
  }

  @Test
  void logsAreFoundByWorkloadAndRole() {
    ProcessRecord app = new ProcessRecord("details-v1", Role.APP, "details-v1", 1, 0, "app.log", "", "");
    ProcessRecord sidecar = new ProcessRecord("details-v1.proxy", Role.SIDECAR, "details-v1", 2, 0, "proxy.log", "",
        "");
    ProcessRecord weftd = new ProcessRecord("weftd", Role.WEFTD, "", 3, 0, "weftd.log", "", "");
    RuntimeState state = new RuntimeState(0, 0, RuntimeState.RUNNING, "", "", 0, "", List.of(weftd, sidecar, app));
    assertThat(LocalRuntime.find(state, "details-v1", false)).contains(app);
    assertThat(LocalRuntime.find(state, "details-v1", true)).contains(sidecar);
    assertThat(LocalRuntime.find(state, "weftd", false)).contains(weftd);
    assertThat(LocalRuntime.find(state, "nobody", false)).isEmpty();
  }

  @Test
  void processStatsReadResidentMemoryAndCpu() {
    ProcessStats stats = ProcessStats.of(ProcessHandle.current(), Instant.now()).orElseThrow();
    assertThat(stats.rssKiB()).isGreaterThan(1024);
    assertThat(stats.cpuPercent()).isGreaterThan(0);
  }
}
