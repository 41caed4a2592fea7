package dev.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Istio's "Secure Gateways" task on the httpbin ingress mesh (examples/ingress/mesh, its gateway Service given
 * Istio's https port 443 to 8443): certificates made with openssl (an example.com root, httpbin.example.com's
 * server certificate, a client's), served from the mesh directory's {@code credentials/httpbin-credential} as
 * {@code credentialName}. SIMPLE TLS with curl; replacing the credential's files rotates the certificate for new
 * connections while an open one carries on; MUTUAL refuses a client without a certificate; httpsRedirect answers 301;
 * ISTIO_MUTUAL takes only clients with a certificate of the mesh's CA.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecureGatewayTaskTest {
  private static final Path INGRESS_MESH = Weft.REPOSITORY.resolve("examples/ingress/mesh");
  private static final String HOST = "httpbin.example.com";
  private static final int HTTPS_PORT = 8443;

  @TempDir static Path stateDir;
  @TempDir static Path work;
  private Path certs;
  private Path credential;
  private RunningMesh mesh;

  @BeforeAll
  void up() throws IOException {
    certs = Files.createDirectory(work.resolve("certs"));
    openssl("req", "-x509", "-sha256", "-nodes", "-days", "365", "-newkey", "rsa:2048", "-subj",
        "/O=example Inc./CN=example.com", "-keyout", "example.com.key", "-out", "example.com.crt");
    signed(HOST, 0);
    signed("client.example.com", 2);

    Path meshDir = Files.createDirectory(work.resolve("mesh"));
    try (Stream<Path> files = Files.list(INGRESS_MESH)) {
      for (Path file : files.toList()) {
        Files.copy(file, meshDir.resolve(file.getFileName()));
      }
    }
    // The ingress Service as Istio installs it: https 443 is bound at target port 8443.
    Files.writeString(meshDir.resolve("istio-ingressgateway.yaml"), Files.readString(meshDir.resolve(
        "istio-ingressgateway.yaml")) + "  - name: https\n    port: 443\n    targetPort: " + HTTPS_PORT + "\n");
    credential = Files.createDirectories(meshDir.resolve("credentials/httpbin-credential"));
    install(HOST, 0);
    mesh = RunningMesh.up(meshDir, stateDir, 26);
  }

  @AfterAll
  void down() {
    mesh.down();
  }

  private void openssl(String... args) {
    String[] command = Stream.concat(Stream.of("sh", "-c", "cd \"$0\" && exec openssl \"$@\"", certs.toString()),
        Stream.of(args)).toArray(String[]::new);
    HostTool.Result result = HostTool.run(command);
    assertThat(result.exitCode()).as(result.output()).isZero();
  }

  /** A key and a certificate for {@code name} signed by the example.com root, with this serial number. */
  private void signed(String name, int serial) throws IOException {
    String file = name + "." + serial;
    Files.writeString(certs.resolve(file + ".ext"), "subjectAltName=DNS:" + name + "\n");
    openssl("req", "-out", file + ".csr", "-newkey", "rsa:2048", "-nodes", "-keyout", file + ".key", "-subj",
        "/CN=" + name + "/O=" + name + " organization");
    openssl("x509", "-req", "-sha256", "-days", "365", "-CA", "example.com.crt", "-CAkey", "example.com.key",
        "-set_serial", Integer.toString(serial), "-in", file + ".csr", "-out", file + ".crt", "-extfile",
        file + ".ext");
  }

  /** Puts a certificate and its key in the credential's directory, as a secret update would. */
  private void install(String name, int serial) throws IOException {
    for (String[] part : List.of(new String[] {".crt", "tls.crt"}, new String[] {".key", "tls.key"})) {
      Path staged = credential.resolveSibling(part[1] + ".new");
      Files.copy(certs.resolve(name + "." + serial + part[0]), staged, StandardCopyOption.REPLACE_EXISTING);
      Files.move(staged, credential.resolve(part[1]), StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    }
  }

  private Path apply(String name, String yaml) throws IOException {
    Path file = Files.writeString(work.resolve(name + ".yaml"), yaml);
    mesh.apply(file);
    return file;
  }

  private static String gateway(String tls) {
    return """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata:
          name: mygateway
        spec:
          selector:
            istio: ingressgateway
          servers:
          - port:
              number: 443
              name: https
              protocol: HTTPS
            tls:
        %s
            hosts:
            - httpbin.example.com
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: httpbin
        spec:
          hosts:
          - "httpbin.example.com"
          gateways:
          - mygateway
          - httpbin-gateway
          http:
          - match:
            - uri:
                prefix: /status
            - uri:
                prefix: /delay
            route:
            - destination:
                port:
                  number: 8000
                host: httpbin
        """.formatted(tls.indent(6).stripTrailing());
  }

  /**
   * curl as the task runs it (the Host header without the port, which the gateway's virtual host names): the status
   * code, or 000 when the TLS handshake or the connection failed.
   */
  private String curl(String path, String... options) {
    String[] command = Stream.concat(Stream.of("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time",
        "5", "-H", "Host: " + HOST, "--resolve", HOST + ":" + HTTPS_PORT + ":127.0.0.1", "--cacert",
        certs.resolve("example.com.crt").toString()), Stream.concat(Stream.of(options),
        Stream.of("https://" + HOST + ":" + HTTPS_PORT + path))).toArray(String[]::new);
    return HostTool.run(command).output().strip();
  }

  /** The serial number of the certificate a new connection is served, as {@code openssl s_client} shows it. */
  private String servedSerial() {
    HostTool.Result served = HostTool.run("sh", "-c", "openssl s_client -connect 127.0.0.1:" + HTTPS_PORT
        + " -servername " + HOST + " </dev/null 2>/dev/null | openssl x509 -noout -serial");
    return served.output().strip();
  }

  @Test
  @Order(1)
  void simpleTlsServesTheCredentialsCertificate() throws IOException {
    apply("secure-gateway", gateway("mode: SIMPLE\ncredentialName: httpbin-credential"));

    await().atMost(Duration.ofSeconds(20)).until(() -> curl("/status/418").equals("418"));
    assertThat(servedSerial()).isEqualTo("serial=00");
    HostTool.Result untrusted = HostTool.run("curl", "-s", "--max-time", "5", "--resolve",
        HOST + ":" + HTTPS_PORT + ":127.0.0.1", "https://" + HOST + ":" + HTTPS_PORT + "/status/418");
    assertThat(untrusted.exitCode()).as("curl does not trust example.com's root without --cacert").isEqualTo(60);
  }

  @Test
  @Order(2)
  void replacingTheCredentialFilesRotatesTheCertificateForNewConnectionsWhileOpenOnesCarryOn() throws Exception {
    try (SSLSocket open = tlsConnection()) {
      assertThat(exchange(open, "/status/418")).isEqualTo(418);
      signed(HOST, 1);
      install(HOST, 1);

      await().atMost(Duration.ofSeconds(20)).until(() -> servedSerial().equals("serial=01"));
      assertThat(curl("/status/418")).isEqualTo("418");
      assertThat(exchange(open, "/status/418")).as("the connection opened before the rotation still works")
          .isEqualTo(418);
      assertThat(((X509Certificate) open.getSession().getPeerCertificates()[0]).getSerialNumber())
          .isEqualTo(BigInteger.ZERO);
    }
  }

  @Test
  @Order(3)
  void mutualTlsRefusesAClientWithoutACertificateAndServesOneWithIt() throws IOException {
    Files.copy(certs.resolve("example.com.crt"), credential.resolve("ca.crt"));
    apply("secure-gateway", gateway("mode: MUTUAL\ncredentialName: httpbin-credential"));
    String[] clientCertificate = {"--cert", certs.resolve("client.example.com.2.crt").toString(), "--key",
        certs.resolve("client.example.com.2.key").toString()};

    await().atMost(Duration.ofSeconds(20)).until(() -> curl("/status/200", clientCertificate).equals("200"));
    assertThat(curl("/status/200")).as("no client certificate: the handshake fails").isEqualTo("000");
    assertThat(curl("/status/418", clientCertificate)).isEqualTo("418");
  }

  @Test
  @Order(4)
  void httpsRedirectAnswersPlainHttpWithA301ToHttps() throws IOException {
    apply("httpbin-gateway", """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata:
          name: httpbin-gateway
        spec:
          selector:
            istio: ingressgateway
          servers:
          - port:
              number: 80
              name: http
              protocol: HTTP
            hosts:
            - "httpbin.example.com"
            tls:
              httpsRedirect: true
        """);

    await().atMost(Duration.ofSeconds(20)).until(() -> redirect().startsWith("301 "));
    assertThat(redirect()).isEqualTo("301 https://httpbin.example.com/status/418");
  }

  /**
   * East-west: an ISTIO_MUTUAL server takes only clients with a certificate from the mesh's own CA (one the test signs
   * with weftd's root key, as a sidecar's would be), and presents the gateway's SPIFFE identity.
   */
  @Test
  @Order(5)
  void istioMutualTakesOnlyClientsWithAMeshCertificate() throws IOException {
    Path ca = mesh.weftdData().resolve("ca");
    Files.writeString(certs.resolve("mesh-client.ext"),
        "subjectAltName=URI:spiffe://cluster.local/ns/default/sa/curl\n");
    openssl("req", "-out", "mesh-client.csr", "-newkey", "rsa:2048", "-nodes", "-keyout", "mesh-client.key", "-subj",
        "/O=mesh client");
    openssl("x509", "-req", "-sha256", "-days", "1", "-CA", ca.resolve("root-cert.pem").toString(), "-CAkey",
        ca.resolve("root-key.pem").toString(), "-set_serial", "7", "-in", "mesh-client.csr", "-out",
        "mesh-client.crt", "-extfile", "mesh-client.ext");
    apply("secure-gateway", gateway("mode: ISTIO_MUTUAL"));
    String[] meshCertificate = {"--insecure", "--cert", certs.resolve("mesh-client.crt").toString(), "--key",
        certs.resolve("mesh-client.key").toString()};

    await().atMost(Duration.ofSeconds(20)).until(() -> curl("/status/418", meshCertificate).equals("418"));
    assertThat(curl("/status/418", "--insecure")).as("no client certificate").isEqualTo("000");
    assertThat(curl("/status/418", "--insecure", "--cert", certs.resolve("client.example.com.2.crt").toString(),
        "--key", certs.resolve("client.example.com.2.key").toString())).as("a certificate from another root")
        .isEqualTo("000");
    HostTool.Result handshake = HostTool.run("sh", "-c", "openssl s_client -connect 127.0.0.1:" + HTTPS_PORT
        + " -servername " + HOST + " -CAfile \"$0\" </dev/null 2>/dev/null", ca.resolve("root-cert.pem").toString());
    assertThat(handshake.output()).as(handshake.output()).contains("Verify return code: 0 (ok)");
    HostTool.Result san = HostTool.run("sh", "-c", "printf '%s' \"$0\" | openssl x509 -noout -ext subjectAltName",
        HostTool.certificates(handshake.output()).getFirst());
    assertThat(san.output()).contains("URI:spiffe://cluster.local/ns/istio-system/sa/");
  }

  private String redirect() {
    return HostTool.run("curl", "-s", "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", "--max-time", "5",
        "-H", "Host: " + HOST, mesh.ingress() + "status/418").output().strip();
  }

  /** A TLS connection to the gateway for httpbin.example.com, trusting only the example.com root. */
  private SSLSocket tlsConnection() throws Exception {
    KeyStore roots = KeyStore.getInstance(KeyStore.getDefaultType());
    roots.load(null, null);
    try (InputStream pem = new ByteArrayInputStream(Files.readAllBytes(certs.resolve("example.com.crt")))) {
      roots.setCertificateEntry("example.com", CertificateFactory.getInstance("X.509").generateCertificate(pem));
    }
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(roots);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket();
    socket.connect(new InetSocketAddress("127.0.0.1", HTTPS_PORT), 2000);
    socket.setSoTimeout(10_000);
    SSLParameters parameters = socket.getSSLParameters();
    parameters.setServerNames(List.of(new SNIHostName(HOST)));
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    socket.setSSLParameters(parameters);
    socket.startHandshake();
    return socket;
  }

  /** One keep-alive HTTP/1.1 GET on the connection, its body read to the end; the status. */
  private static int exchange(SSLSocket socket, String path) {
    try {
      OutputStream out = socket.getOutputStream();
      out.write(("GET " + path + " HTTP/1.1\r\nHost: " + HOST + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String head = readHead(socket.getInputStream());
      int length = head.lines().filter(l -> l.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:"))
          .map(l -> Integer.parseInt(l.substring(l.indexOf(':') + 1).strip())).findFirst()
          .orElseThrow(() -> new AssertionError("a response without content-length: " + head));
      socket.getInputStream().readNBytes(length);
      return Integer.parseInt(head.split(" ", 3)[1]);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed after: " + head);
      }
      head.append((char) b);
    }
    return head.toString();
  }
}
