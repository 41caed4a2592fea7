package dev.weft.examples.tcpecho;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.examples.app.Env;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TcpEchoTest {
    @Test
    void echoesEachLineWithThePrefix() throws IOException {
        try (TcpEcho echo = TcpEcho.start(new TcpEcho.Config("127.0.0.1", List.of(0), "one"));
                Socket socket = connect(echo.port())) {
            BufferedReader in = reader(socket);
            OutputStream out = socket.getOutputStream();

            out.write("hello world\n".getBytes(StandardCharsets.UTF_8));
            assertThat(in.readLine()).isEqualTo("one hello world");
            out.write("a\nb\n".getBytes(StandardCharsets.UTF_8));
            assertThat(in.readLine()).isEqualTo("one a");
            assertThat(in.readLine()).isEqualTo("one b");
        }
    }

    @Test
    void aLastLineWithoutNewlineIsEchoedWhenTheClientFinishes() throws IOException {
        try (TcpEcho echo = TcpEcho.start(new TcpEcho.Config("127.0.0.1", List.of(0), "two"));
                Socket socket = connect(echo.port())) {
            socket.getOutputStream().write("tail".getBytes(StandardCharsets.UTF_8));
            socket.shutdownOutput();

            assertThat(new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("two tail");
        }
    }

    @Test
    void listensOnEveryPortOfTheSampleArguments() throws IOException {
        TcpEcho.Config config = TcpEcho.Config.from(Env.of(Map.of()), List.of("0,0", "hello"));
        try (TcpEcho echo = TcpEcho.start(config)) {
            assertThat(echo.ports()).hasSize(2).doesNotHaveDuplicates();
            for (int port : echo.ports()) {
                try (Socket socket = connect(port)) {
                    socket.getOutputStream().write("x\n".getBytes(StandardCharsets.UTF_8));
                    assertThat(reader(socket).readLine()).isEqualTo("hello x");
                }
            }
        }
    }

    @Test
    void settingsComeFromArgumentsThenEnvironment() {
        assertThat(TcpEcho.Config.from(Env.of(Map.of()), List.of()))
                .isEqualTo(new TcpEcho.Config("127.0.0.1", List.of(9000), "hello"));
        assertThat(TcpEcho.Config.from(Env.of(Map.of("PORT", "9100", "PREFIX", "two")), List.of()))
                .isEqualTo(new TcpEcho.Config("127.0.0.1", List.of(9100), "two"));
        assertThat(TcpEcho.Config.from(Env.of(Map.of("PORT", "9100")), List.of("9000,9001,9002", "one")))
                .isEqualTo(new TcpEcho.Config("127.0.0.1", List.of(9000, 9001, 9002), "one"));
        assertThatThrownBy(() -> TcpEcho.Config.from(Env.of(Map.of()), List.of("9000,x")))
                .hasMessageContaining("\"x\" is invalid: expected a port number");
    }

    @Test
    void closingDropsOpenConnections() throws IOException {
        TcpEcho echo = TcpEcho.start(new TcpEcho.Config("127.0.0.1", List.of(0), "one"));
        try (Socket socket = connect(echo.port())) {
            socket.getOutputStream().write("x\n".getBytes(StandardCharsets.UTF_8));
            assertThat(reader(socket).readLine()).isEqualTo("one x");

            echo.close();

            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(5_000);
        return socket;
    }

    private static BufferedReader reader(Socket socket) throws IOException {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    }
}
