package dev.weft.testing.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TcpEchoServerTest {

    @Test
    void greetsThenEchoes() throws Exception {
        try (TcpEchoServer server = TcpEchoServer.start("hi ");
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.getOutputStream().write("ping".getBytes(StandardCharsets.UTF_8));
            InputStream in = socket.getInputStream();
            assertThat(new String(in.readNBytes(7), StandardCharsets.UTF_8)).isEqualTo("hi ping");
        }
    }
}
