package dev.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The load client against local servers that keep, close and reset connections. */
class KeepAliveLoadTest {

  /** What a server does with the n-th request (from 0) of a connection: answer, or reset the connection. */
  private interface Behaviour {
    void answer(int n, Socket socket, OutputStream out) throws IOException;
  }

  /** A loopback server reading request heads and acting on each by {@link Behaviour}; counts its connections. */
  private static final class ScriptedServer implements AutoCloseable {
    private final ServerSocket server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicInteger connections = new AtomicInteger();

    ScriptedServer(Behaviour behaviour) throws IOException {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      threads.submit(() -> {
        while (!server.isClosed()) {
          Socket socket = server.accept();
          connections.incrementAndGet();
          threads.submit(() -> serve(socket, behaviour));
        }
        return null;
      });
    }

    private static Void serve(Socket socket, Behaviour behaviour) throws IOException {
      try (socket; BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
          StandardCharsets.ISO_8859_1))) {
        for (int n = 0; in.readLine() != null && !socket.isClosed(); n++) {
          while (!in.readLine().isEmpty()) {
            // The rest of the request head; the load client sends no body.
          }
          behaviour.answer(n, socket, socket.getOutputStream());
        }
      }
      return null;
    }

    InetSocketAddress address() {
      return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
    }

    @Override
    public void close() throws IOException {
      server.close();
      threads.shutdownNow();
    }
  }

  private static void respond(OutputStream out, int status, String extraHeader) throws IOException {
    out.write(("HTTP/1.1 " + status + " X\r\ncontent-length: 2\r\n" + extraHeader + "\r\nok")
        .getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  private static KeepAliveLoad load(ScriptedServer server) {
    return new KeepAliveLoad(server.address(), "http://httpbin:8000/get", "httpbin:8000");
  }

  @Test
  void splitsTheRequestsOverKeptConnectionsAndCountsEachStatus() throws Exception {
    try (ScriptedServer server = new ScriptedServer((n, s, out) -> respond(out, n % 2 == 0 ? 200 : 503, ""))) {
      KeepAliveLoad.Result result = load(server).run(3, 31);
      // 11, 10 and 10 requests: 6 + 5 + 5 answered 200 (the even ones of each connection).
      assertThat(result.statuses()).containsExactly(Map.entry(200, 16), Map.entry(503, 15));
      assertThat(result.socketErrors()).isZero();
      assertThat(result.reconnects()).isZero();
      assertThat(result.connections()).isEqualTo(3);
      assertThat(server.connections).hasValue(3);
    }
  }

  @Test
  void aCloseAnnouncedByConnectionCloseIsAReconnectNotAnError() throws Exception {
    try (ScriptedServer server = new ScriptedServer((n, s, out) -> {
      respond(out, 200, n == 1 ? "connection: close\r\n" : "");
      if (n == 1) {
        s.close();
      }
    })) {
      KeepAliveLoad.Result result = load(server).run(2, 8);
      // Each connection closes after its second request: 4 requests each, so 2 reconnects each.
      assertThat(result.count(200)).isEqualTo(8);
      assertThat(result.socketErrors()).isZero();
      assertThat(result.reconnects()).isEqualTo(4);
      assertThat(result.connections()).isEqualTo(4);
      assertThat(server.connections).hasValue(4);
    }
  }

  @Test
  void aConnectionResetWithoutWarningIsASocketError() throws Exception {
    try (ScriptedServer server = new ScriptedServer((n, s, out) -> {
      if (n == 0) {
        respond(out, 200, "");
      } else {
        s.setSoLinger(true, 0);
        s.close();
      }
    })) {
      KeepAliveLoad.Result result = load(server).run(1, 4);
      // 200, reset, (new connection) 200, reset.
      assertThat(result.count(200)).isEqualTo(2);
      assertThat(result.socketErrors()).as("%s", result.errors()).isEqualTo(2);
      assertThat(result.reconnects()).isZero();
    }
  }

  @Test
  void aConnectionClosedQuietlyAfterAResponseIsASocketErrorForTheNextRequest() throws Exception {
    try (ScriptedServer server = new ScriptedServer((n, s, out) -> {
      respond(out, 503, "");
      s.close();
    })) {
      KeepAliveLoad.Result result = load(server).run(1, 2);
      // The 503 is counted; the second request finds the connection gone, as fortio saw it behind Weft's replies.
      assertThat(result.count(503)).isEqualTo(1);
      assertThat(result.socketErrors()).isEqualTo(1);
    }
  }
}
