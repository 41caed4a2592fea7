package dev.weft.cli.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.weft.proxy.capture.HostCommand;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real capture network (as root): a namespace with its veth, address, hosts file and istio-iptables rules, a
 * real weft-proxy inside it on 15001/15006, and real clients. Without root or the tools it fails in CI and is
 * skipped elsewhere.
 */
class CaptureSetupTest {

  private static final int BLOCK = 243;
  private static final LocalMesh.ServiceRef REVIEWS = new LocalMesh.ServiceRef("reviews", "default", 9080, List.of());
  private static final LocalMesh MESH = new LocalMesh(Path.of("mesh"), List.of(),
      List.of(new WorkloadSpec("productpage-v1", "default", "default", Map.of(), List.of(9080),
          new WorkloadSpec.Executable(List.of("true")), Map.of(), Optional.empty(), false)),
      List.of(REVIEWS), Optional.empty());
  /** Answers what a proxy listener would: which one took the connection. */
  private static final String PROXY_BOOTSTRAP = """
      admin: {address: {socket_address: {address: 127.0.0.1, port_value: 15000}}}
      static_resources:
        listeners:
        - ${outbound}
        - ${inbound}
      """;
  private static final String LISTENER = """
      {name: NAME, address: {socket_address: {address: 0.0.0.0, port_value: PORT}},
            filter_chains: [{filters: [{name: envoy.filters.network.http_connection_manager, typed_config: {
              "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager,
              stat_prefix: NAME, http_filters: [{name: envoy.filters.http.router, typed_config: {
                "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router}}],
              route_config: {virtual_hosts: [{name: all, domains: ["*"], routes: [{match: {prefix: /},
                direct_response: {status: 200, body: {inline_string: NAME}}}]}]}}}]}]}""";

  @TempDir Path dir;
  private final CaptureNetwork network = CaptureNetwork.of(BLOCK, MESH);
  private Process proxy;
  private HttpServer host;

  @BeforeEach
  void requireRoot() {
    List<String> missing = new java.util.ArrayList<>(CaptureSetup.missingRequirements());
    if (HostCommand.find("curl").isEmpty()) {
      missing.add("curl is not installed");
    }
    if ("true".equals(System.getenv("CI"))) {
      assertThat(missing).as("CI runs as root with iproute2, iptables and curl (.ci/run)").isEmpty();
    }
    Assumptions.assumeTrue(missing.isEmpty(), () -> "transparent capture cannot run here: "
        + String.join("; ", missing));
  }

  @AfterEach
  void cleanUp() {
    if (proxy != null) {
      proxy.destroyForcibly();
    }
    if (host != null) {
      host.stop(0);
    }
    CaptureSetup.remove(BLOCK);
  }

  private static String run(String... command) {
    HostCommand.Result result = HostCommand.run(List.of(command));
    assertThat(result.ok()).as(String.join(" ", command) + ": " + result.output()).isTrue();
    return result.output();
  }

  @Test
  void aNamespaceGetsItsAddressHostsFileAndIstioIptablesRules() throws Exception {
    CaptureSetup.create(network, MESH.services(), 15010, LocalRuntime.RULES);
    CaptureNetwork.Member member = network.members().getFirst();
    assertThat(run("ip", "netns", "list")).contains(member.netns());
    assertThat(run("ip", "-n", member.netns(), "-4", "addr", "show", "eth0")).contains("10.250.243.2/24");
    assertThat(run("ip", "-n", member.netns(), "route")).contains("default via 10.250.243.1");
    assertThat(run("ip", "netns", "exec", member.netns(), "getent", "hosts", "reviews")).startsWith("10.251.243.1");
    String rules = run("ip", "netns", "exec", member.netns(), "iptables-save", "-t", "nat");
    assertThat(rules).contains("-A ISTIO_IN_REDIRECT -p tcp -j REDIRECT --to-ports 15006")
        .contains("-A ISTIO_REDIRECT -p tcp -j REDIRECT --to-ports 15001")
        .contains("--gid-owner 1337 -j RETURN").contains("--dport 15000 -j RETURN");
    assertThat(run("iptables", "-w", "-t", "nat", "-S", "WEFT243"))
        .contains("-d 10.250.243.1/32 -p tcp -m tcp --dport 15010 -j DNAT --to-destination 127.0.0.1:15010");

    CaptureSetup.remove(BLOCK);
    assertThat(run("ip", "netns", "list")).doesNotContain("weft243-");
    assertThat(HostCommand.run(List.of("ip", "link", "show", "weft243br")).ok()).isFalse();
    assertThat(HostCommand.run(List.of("iptables", "-w", "-t", "nat", "-S", "WEFT243")).ok()).isFalse();
    assertThat(Path.of("/etc/netns", member.netns())).doesNotExist();
  }

  /**
   * A veth left by a run whose namespace this process cannot list (another mount namespace's, or one a stray
   * process holds open) made the next setup fail with "File exists".
   */
  @Test
  void aVethLeftOutsideTheNamespaceListIsRemovedBeforeSetup() throws Exception {
    String veth = network.members().getFirst().hostVeth();
    run("ip", "link", "add", veth, "type", "veth", "peer", "name", "weft243stale");
    CaptureSetup.create(network, MESH.services(), 15010, LocalRuntime.RULES);
    assertThat(run("ip", "-n", network.members().getFirst().netns(), "link", "show", "eth0")).contains("eth0");
    assertThat(HostCommand.run(List.of("ip", "link", "show", "weft243stale")).ok()).isFalse();

    CaptureSetup.remove(BLOCK);
    assertThat(HostCommand.run(List.of("ip", "link", "show", veth)).ok()).isFalse();
  }

  /**
   * Inbound TCP to any port of the namespace lands on the proxy's 15006; the app's outbound TCP lands on 15001,
   * even to an address nothing owns (a Service VIP); the proxy's group gets through uncaptured.
   */
  @Test
  void trafficIsRedirectedToTheProxyExceptTheProxysOwn() throws Exception {
    CaptureSetup.create(network, MESH.services(), 15010, LocalRuntime.RULES);
    CaptureNetwork.Member member = network.members().getFirst();
    Path bootstrap = dir.resolve("proxy.yaml");
    Files.writeString(bootstrap, PROXY_BOOTSTRAP
        .replace("${outbound}", LISTENER.replace("NAME", "outbound").replace("PORT", "15001"))
        .replace("${inbound}", LISTENER.replace("NAME", "inbound").replace("PORT", "15006")));
    proxy = new ProcessBuilder(ChildCommands.ofCurrentJvm().inNetworkNamespace(member.netns(),
        OptionalInt.of(LocalRuntime.PROXY_GID)).java(LocalRuntime.PROXY_MAIN, List.of("--bootstrap",
        bootstrap.toString()), "64m")).redirectErrorStream(true).redirectOutput(dir.resolve("proxy.log").toFile())
        .start();
    Probe probe = new Probe();
    // Nothing listens on 9080 in the namespace: only the redirect to 15006 can answer.
    await().atMost(Duration.ofSeconds(60)).until(() -> probe.check("http://10.250.243.2:9080/").healthy()
        || !proxy.isAlive());
    assertThat(proxy.isAlive()).as(Files.readString(dir.resolve("proxy.log"))).isTrue();
    assertThat(curl(member, OptionalInt.empty(), "http://reviews:9080/")).isEqualTo("outbound");

    host = HttpServer.create(new InetSocketAddress(network.hostIp(), 0), 10);
    host.createContext("/", exchange -> {
      byte[] body = "host".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    host.start();
    String hostUrl = "http://" + network.hostIp() + ":" + host.getAddress().getPort() + "/";
    assertThat(curl(member, OptionalInt.empty(), hostUrl)).isEqualTo("outbound");
    assertThat(curl(member, OptionalInt.of(LocalRuntime.PROXY_GID), hostUrl)).isEqualTo("host");
  }

  /** {@code weft iptables --apply}, run inside a namespace as istio-iptables runs in a pod. */
  @Test
  void weftIptablesApplyInstallsTheRulesInItsOwnNamespace() {
    String ns = CaptureNetwork.prefix(BLOCK) + "-apply";
    run("ip", "netns", "add", ns);
    HostCommand.Result applied = weft(ns, "iptables", "--apply");
    assertThat(applied.ok()).as(applied.output()).isTrue();
    assertThat(applied.output()).contains("capture rules applied (inbound to 15006, outbound to 15001");
    assertThat(run("ip", "netns", "exec", ns, "iptables-save", "-t", "nat"))
        .contains("-A ISTIO_REDIRECT -p tcp -j REDIRECT --to-ports 15001");
    HostCommand.Result refused = weft(ns, "iptables", "--apply", "--proxy-uid", "-5");
    assertThat(refused.exitCode()).as(refused.output()).isEqualTo(1);
    assertThat(refused.output()).contains("weft: the rules were not applied:");
  }

  /**
   * The istio-init container's arguments as Istio's injector writes them (its hello.yaml.injected), which weft's
   * injector writes too (IstioInjectionConformanceTest): weft-proxy installs the rules without being told to.
   */
  @Test
  void weftProxyIstioIptablesAppliesIstiosInitArgumentsAsTheyAre() {
    String ns = CaptureNetwork.prefix(BLOCK) + "-init";
    run("ip", "netns", "add", ns);
    HostCommand.Result applied = java(ns, "dev.weft.proxy.ProxyMain", "istio-iptables", "-p", "15001", "-z", "15006",
        "-u", "1337", "-m", "REDIRECT", "-i", "*", "-x", "", "-b", "*", "-d", "15090,15021,15020",
        "--log_output_level=default:info");
    assertThat(applied.ok()).as(applied.output()).isTrue();
    assertThat(run("ip", "netns", "exec", ns, "iptables-save", "-t", "nat")).contains(
        "-A ISTIO_IN_REDIRECT -p tcp -j REDIRECT --to-ports 15006",
        "-A ISTIO_OUTPUT -m owner --gid-owner 1337 -j RETURN",
        "-A ISTIO_INBOUND -p tcp -m tcp --dport 15020 -j RETURN");
  }

  private static HostCommand.Result weft(String ns, String... args) {
    return java(ns, "dev.weft.cli.WeftCommand", args);
  }

  private static HostCommand.Result java(String ns, String mainClass, String... args) {
    return HostCommand.run(inForeground(ChildCommands.ofCurrentJvm().inNetworkNamespace(ns, OptionalInt.empty())
        .java(mainClass, List.of(args), "64m")));
  }

  /** Without setsid, so this test waits for the command itself. */
  private static List<String> inForeground(List<String> command) {
    return command.getFirst().endsWith("setsid") ? command.subList(1, command.size()) : command;
  }

  private static String curl(CaptureNetwork.Member member, OptionalInt group, String url) {
    List<String> command = inForeground(ChildCommands.ofCurrentJvm().inNetworkNamespace(member.netns(), group)
        .executable(List.of("curl", "-s", "-m", "10", url)));
    HostCommand.Result result = HostCommand.run(command);
    assertThat(result.ok()).as(String.join(" ", command) + ": " + result.output()).isTrue();
    return result.output();
  }
}
