package dev.weft.e2e;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What {@code fortio load -c C -qps 0 -n N URL} does, over raw sockets: C keep-alive connections, each sending its
 * share of the N requests one after the other as fast as it can, counting the status codes. Nothing reconnects
 * behind its back: a connection that ends or resets without having said {@code connection: close} fails the
 * request in flight, which is a socket error (and the next request opens a new connection, as fortio does); a
 * response with {@code connection: close} followed by the close is no error, only a reconnect.
 */
final class KeepAliveLoad {

  /**
   * What a run saw: status code counts, socket errors (with their reasons), reconnects asked for, and how many
   * connections it opened in all.
   */
  record Result(Map<Integer, Integer> statuses, int socketErrors, List<String> errors, int reconnects,
      int connections) {
    int count(int status) {
      return statuses.getOrDefault(status, 0);
    }
  }

  private final InetSocketAddress target;
  private final String request;

  /**
   * @param target where to connect (a sidecar's outbound listener, a gateway)
   * @param requestTarget the request line's target: a path, or an absolute URL when {@code target} is a proxy
   * @param host the Host header
   */
  KeepAliveLoad(InetSocketAddress target, String requestTarget, String host) {
    this.target = target;
    this.request = "GET " + requestTarget + " HTTP/1.1\r\nhost: " + host + "\r\nuser-agent: weft-e2e-load\r\n\r\n";
  }

  /** {@code fortio load -c connections -qps 0 -n requests}: the N requests split as evenly as fortio splits them. */
  Result run(int connections, int requests) throws InterruptedException {
    Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
    AtomicInteger reconnects = new AtomicInteger();
    AtomicInteger opened = new AtomicInteger();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> all = new ArrayList<>();
      for (int c = 0; c < connections; c++) {
        int share = requests / connections + (c < requests % connections ? 1 : 0);
        all.add(threads.submit(() -> new Connection(statuses, errors, reconnects, opened).send(share)));
      }
      for (Future<?> f : all) {
        try {
          f.get();
        } catch (ExecutionException e) {
          throw new AssertionError("a load connection failed outside any request", e.getCause());
        }
      }
    }
    Map<Integer, Integer> counts = new TreeMap<>();
    statuses.forEach((status, n) -> counts.put(status, n.get()));
    return new Result(counts, errors.size(), List.copyOf(errors), reconnects.get(), opened.get());
  }

  /** One client connection and the requests it sends in turn; reopened after a close. */
  private final class Connection {
    private final Map<Integer, AtomicInteger> statuses;
    private final ConcurrentLinkedQueue<String> errors;
    private final AtomicInteger reconnects;
    private final AtomicInteger opened;
    private Socket socket;
    private InputStream in;

    Connection(Map<Integer, AtomicInteger> statuses, ConcurrentLinkedQueue<String> errors, AtomicInteger reconnects,
        AtomicInteger opened) {
      this.statuses = statuses;
      this.errors = errors;
      this.reconnects = reconnects;
      this.opened = opened;
    }

    void send(int requests) {
      try {
        for (int i = 0; i < requests; i++) {
          sendOne(i);
        }
      } finally {
        close();
      }
    }

    private void sendOne(int index) {
      try {
        if (socket == null) {
          open();
        }
        OutputStream out = socket.getOutputStream();
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        boolean closes = readResponse();
        if (closes) {
          reconnects.incrementAndGet();
          if (in.read() >= 0) {
            throw new IOException("bytes after a response that said connection: close");
          }
          close();
        }
      } catch (IOException e) {
        errors.add("request " + index + " of a connection: " + e);
        close();
      }
    }

    private void open() throws IOException {
      socket = new Socket();
      socket.connect(target, 2000);
      opened.incrementAndGet();
      socket.setSoTimeout(10_000);
      in = new BufferedInputStream(socket.getInputStream());
    }

    /** Reads one response and counts its status; returns whether it said connection: close. */
    private boolean readResponse() throws IOException {
      String statusLine = line();
      String[] parts = statusLine.split(" ", 3);
      if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
        throw new IOException("not a status line: " + statusLine);
      }
      int status = Integer.parseInt(parts[1]);
      Map<String, String> headers = new TreeMap<>();
      String header;
      while (!(header = line()).isEmpty()) {
        int colon = header.indexOf(':');
        headers.put(header.substring(0, colon).strip().toLowerCase(Locale.ROOT), header.substring(colon + 1).strip());
      }
      if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
        skipChunkedBody();
      } else if (headers.containsKey("content-length")) {
        skip(Integer.parseInt(headers.get("content-length")));
      } else if (status != 204 && status != 304) {
        throw new IOException("a response without length: the close would be its end, which fortio does not want");
      }
      statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
      return "close".equalsIgnoreCase(headers.get("connection"));
    }

    private void skipChunkedBody() throws IOException {
      int size;
      while ((size = Integer.parseInt(line().split(";", 2)[0].strip(), 16)) > 0) {
        skip(size);
        line();
      }
      while (!line().isEmpty()) {
        // Trailers.
      }
    }

    private void skip(int n) throws IOException {
      if (in.readNBytes(n).length < n) {
        throw new EOFException("connection ended inside a body");
      }
    }

    private String line() throws IOException {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      int c;
      while ((c = in.read()) != '\n') {
        if (c < 0) {
          throw new EOFException("connection ended" + (buf.size() == 0 ? "" : " inside a line"));
        }
        if (c != '\r') {
          buf.write(c);
        }
      }
      return buf.toString(StandardCharsets.ISO_8859_1);
    }

    private void close() {
      if (socket != null) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // Closing is all that is left to do.
        }
        socket = null;
      }
    }
  }
}
