package dev.weft.examples.tcpecho;

import dev.weft.examples.app.AppMain;
import dev.weft.examples.app.Env;
import dev.weft.examples.app.ListenAddress;
import dev.weft.examples.app.RunningApp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Istio's tcp-echo server: every line a client sends comes back as {@code <prefix> <line>}. The sample runs
 * it with {@code args: ["9000,9001,9002", "one"]}; those arguments work here too.
 */
public final class TcpEcho implements RunningApp {
    public static final String NAME = "tcp-echo";
    /** Longer lines are echoed in pieces of this size, so a client cannot make the server buffer without end. */
    static final int MAX_LINE_BYTES = 64 * 1024;

    /**
     * @param bind   env {@code BIND} (default 127.0.0.1)
     * @param ports  first argument, comma-separated, else env {@code PORT} (default 9000)
     * @param prefix second argument, else env {@code PREFIX} (default hello)
     */
    public record Config(String bind, List<Integer> ports, String prefix) {
        public Config {
            ports = List.copyOf(ports);
            if (ports.isEmpty()) {
                throw new Env.InvalidSettingException("tcp-echo needs at least one port");
            }
        }

        public static Config from(Env env, List<String> args) {
            List<Integer> ports = args.isEmpty()
                    ? List.of(env.port("PORT", 9000))
                    : parsePorts(args.getFirst());
            String prefix = args.size() > 1 ? args.get(1) : env.text("PREFIX", "hello");
            return new Config(env.text("BIND", ListenAddress.DEFAULT_HOST), ports, prefix);
        }

        private static List<Integer> parsePorts(String list) {
            List<Integer> ports = new ArrayList<>();
            for (String port : list.split(",")) {
                ports.add(Env.parsePort("port argument", port));
            }
            return ports;
        }
    }

    private final Config config;
    private final List<ServerSocket> listeners;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final Clock clock = Clock.systemUTC();

    private TcpEcho(Config config, List<ServerSocket> listeners) {
        this.config = config;
        this.listeners = List.copyOf(listeners);
    }

    public static void main(String[] args) {
        AppMain.run(NAME, args, Config::from, TcpEcho::start);
    }

    public static TcpEcho start(Config config) {
        List<ServerSocket> listeners = new ArrayList<>();
        try {
            for (int port : config.ports()) {
                listeners.add(new ServerSocket(port, 50, InetAddress.getByName(config.bind())));
            }
        } catch (IOException e) {
            listeners.forEach(TcpEcho::closeQuietly);
            throw new UncheckedIOException(NAME + " cannot listen on " + config.bind() + " ports " + config.ports()
                    + ": " + e.getMessage(), e);
        }
        TcpEcho echo = new TcpEcho(config, listeners);
        for (ServerSocket listener : listeners) {
            echo.executor.submit(() -> echo.accept(listener));
        }
        return echo;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String host() {
        return listeners.getFirst().getInetAddress().getHostAddress();
    }

    /** The first listening port. */
    @Override
    public int port() {
        return listeners.getFirst().getLocalPort();
    }

    /** Every listening port, in the order configured. */
    public List<Integer> ports() {
        return listeners.stream().map(ServerSocket::getLocalPort).toList();
    }

    @Override
    public URI baseUri() {
        return URI.create("tcp://" + host() + ":" + port());
    }

    @Override
    public void close() {
        listeners.forEach(TcpEcho::closeQuietly);
        connections.forEach(TcpEcho::closeQuietly);
        executor.shutdownNow();
    }

    private void accept(ServerSocket listener) {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                connections.add(socket);
                executor.submit(() -> echo(socket));
            } catch (IOException e) {
                if (!listener.isClosed()) {
                    System.err.println(NAME + ": accept failed on port " + listener.getLocalPort() + ": " + e);
                }
            }
        }
    }

    private void echo(Socket socket) {
        InetSocketAddress client = (InetSocketAddress) socket.getRemoteSocketAddress();
        int lines = 0;
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            byte[] prefix = (config.prefix() + " ").getBytes(StandardCharsets.UTF_8);
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int read;
            while ((read = in.read(buffer)) >= 0) {
                for (int i = 0; i < read; i++) {
                    line.write(buffer[i]);
                    if (buffer[i] == '\n' || line.size() >= MAX_LINE_BYTES) {
                        out.write(prefix);
                        line.writeTo(out);
                        line.reset();
                        lines++;
                    }
                }
                out.flush();
            }
            if (line.size() > 0) {
                out.write(prefix);
                line.writeTo(out);
                out.flush();
                lines++;
            }
        } catch (IOException e) {
            // The client went away mid-line; there is nobody left to answer.
        } finally {
            connections.remove(socket);
            System.out.println(clock.instant() + " " + NAME + " " + client.getAddress().getHostAddress() + ":"
                    + client.getPort() + " -> :" + socket.getLocalPort() + " closed after " + lines + " lines");
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // Closing on shutdown: nothing useful to do with a failure.
        }
    }
}
