package dev.weft.cli.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.proxy.ProxyJvm;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proxy's jar as weft up runs it: it carries the Envoy API classes the proxy can reach, and the class path
 * {@link ProxyJvm#classPath(String)} gives a proxy started from this launcher's class path holds neither Envoy's API
 * jar nor a second copy of a class.
 */
class ProxyJarTest {

  private static final String ENVOY_API = "io/envoyproxy/";
  private static final Pattern ADMIN = Pattern.compile("weft-proxy: started, admin on ([\\d.]+:\\d+)");
  private static final Pattern HTTP_LISTENER = Pattern.compile("http::([\\d.]+:\\d+)");

  @TempDir
  Path dir;
  private Process proxy;

  @AfterEach
  void stop() {
    if (proxy != null) {
      proxy.destroyForcibly();
    }
  }

  @Test
  void aProxyRunsWithoutEnvoysApiJarAndWithNoClassTwice() throws IOException {
    Path proxyJar = proxyJar();
    List<Path> childClassPath = childClassPath();

    assertThat(childClassPath).contains(proxyJar);
    assertThat(childClassPath).noneMatch(ProxyJarTest::isEnvoyApiJar)
        .noneMatch(jar -> jar.getFileName().toString().startsWith("proto-google-common-protos-"));
    Set<String> carried = classes(proxyJar);
    for (Path jar : childClassPath.stream().filter(jar -> !jar.equals(proxyJar)).toList()) {
      assertThat(classes(jar)).as("classes of %s also in the proxy's jar", jar).doesNotContainAnyElementsOf(carried);
    }
  }

  @Test
  void theProxyJarCarriesOnlyTheEnvoyApiClassesThatCanBeReached() throws IOException {
    Path apiJar = launcherClassPath().stream().filter(ProxyJarTest::isEnvoyApiJar).findFirst().orElseThrow();
    Set<String> api = envoyApi(classes(apiJar));
    Set<String> carried = envoyApi(classes(proxyJar()));

    assertThat(carried).contains("io/envoyproxy/envoy/config/bootstrap/v3/Bootstrap.class",
        "io/envoyproxy/envoy/extensions/filters/http/rbac/v3/RBAC.class");
    assertThat(api).containsAll(carried);
    assertThat(carried.size()).as("of %d", api.size()).isLessThan(api.size() / 2);
  }

  /**
   * A proxy started as weft up starts it ({@link ChildCommands#proxy}): filters and a TCP proxy parsed from a
   * bootstrap, shown in the admin's config dump, and a request served.
   */
  @Test
  void aProxyFromThatClassPathParsesServesAndDumpsItsConfig() throws Exception {
    Path bootstrap = Files.writeString(dir.resolve("bootstrap.yaml"), BOOTSTRAP);
    Path log = dir.resolve("proxy.log");
    List<String> command = ChildCommands.ofCurrentJvm().proxy("dev.weft.proxy.ProxyMain",
        List.of("--bootstrap", bootstrap.toString()), ProxyJvm.DEFAULT_MAX_HEAP);
    proxy = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();

    Matcher admin = ADMIN.matcher("");
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
      assertThat(proxy.isAlive()).as("proxy running: %s", Files.readString(log)).isTrue();
      return admin.reset(Files.readString(log)).find();
    });
    HttpClient client = HttpClient.newHttpClient();
    String dump = get(client, "http://" + admin.group(1) + "/config_dump");
    Matcher listener = HTTP_LISTENER.matcher(get(client, "http://" + admin.group(1) + "/listeners"));

    assertThat(dump).contains("type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC",
        "type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit",
        "type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy");
    assertThat(listener.find()).isTrue();
    assertThat(get(client, "http://" + listener.group(1) + "/")).isEqualTo("served");
    assertThat(Files.readString(log)).doesNotContain("Exception", "Error");
  }

  private static String get(HttpClient client, String url) throws IOException, InterruptedException {
    HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("%s: %s", url, response.body()).isEqualTo(200);
    return response.body();
  }

  private static Path proxyJar() {
    try {
      Path jar = Path.of(ProxyJvm.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      assertThat(jar.toString()).as("the launcher runs the proxy's packaged jar").endsWith(".jar");
      return jar;
    } catch (java.net.URISyntaxException e) {
      throw new AssertionError(e);
    }
  }

  private static List<Path> launcherClassPath() {
    return toPaths(System.getProperty("java.class.path"));
  }

  private static List<Path> childClassPath() {
    return toPaths(ProxyJvm.classPath(System.getProperty("java.class.path")));
  }

  private static List<Path> toPaths(String classPath) {
    return Arrays.stream(classPath.split(File.pathSeparator)).filter(entry -> !entry.isEmpty()).map(Path::of)
        .toList();
  }

  private static boolean isEnvoyApiJar(Path jar) {
    return jar.getFileName().toString().matches("api-[0-9.]+\\.jar");
  }

  private static Set<String> classes(Path jar) throws IOException {
    if (!Files.isRegularFile(jar)) {
      return Set.of();
    }
    try (JarFile file = new JarFile(jar.toFile())) {
      return file.stream().map(entry -> entry.getName())
          .filter(name -> name.endsWith(".class") && !name.equals("module-info.class")
              && !name.startsWith("META-INF/"))
          .collect(Collectors.toCollection(HashSet::new));
    }
  }

  private static Set<String> envoyApi(Set<String> classes) {
    return classes.stream().filter(name -> name.startsWith(ENVOY_API)).collect(Collectors.toSet());
  }

  private static final String BOOTSTRAP = """
      admin:
        address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
      static_resources:
        listeners:
        - name: http
          address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
          filter_chains:
          - filters:
            - name: envoy.filters.network.http_connection_manager
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                stat_prefix: http
                route_config:
                  name: local
                  virtual_hosts:
                  - name: all
                    domains: ["*"]
                    routes:
                    - match: { prefix: / }
                      direct_response: { status: 200, body: { inline_string: served } }
                http_filters:
                - name: envoy.filters.http.fault
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault
                    abort: { http_status: 503, percentage: { numerator: 0 } }
                - name: envoy.filters.http.cors
                  typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.http.cors.v3.Cors }
                - name: envoy.filters.http.local_ratelimit
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit
                    stat_prefix: limited
                - name: envoy.filters.http.rbac
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC
                    rules:
                      action: ALLOW
                      policies:
                        all: { permissions: [ { any: true } ], principals: [ { any: true } ] }
                - name: envoy.filters.http.router
                  typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router }
        - name: tcp
          address: { socket_address: { address: 127.0.0.1, port_value: 0 } }
          filter_chains:
          - filters:
            - name: envoy.filters.network.tcp_proxy
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy
                stat_prefix: tcp
                cluster: sink
        clusters:
        - name: sink
          connect_timeout: 1s
          type: STATIC
          load_assignment:
            cluster_name: sink
            endpoints:
            - lb_endpoints:
              - endpoint: { address: { socket_address: { address: 127.0.0.1, port_value: 9 } } }
      """;
}
