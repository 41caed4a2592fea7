package dev.weft.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.proxy.Bootstraps;
import dev.weft.proxy.ProxyHarness;
import dev.weft.testing.upstream.FakeWebSocketUpstream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WebSocketTest {

    private final FakeWebSocketUpstream ws = FakeWebSocketUpstream.start();
    private ProxyHarness proxy;

    @AfterEach
    void stop() {
        proxy.close();
        ws.close();
    }

    @Test
    void upgradesAndTunnelsFramesBothWays() throws Exception {
        proxy = ProxyHarness.start(Bootstraps.http(Bootstraps.indent("""
                upgrade_configs: [ { upgrade_type: websocket } ]
                """, 10), Bootstraps.anyHost("""
                - match: { prefix: / }
                  route: { cluster: ws }
                """), "", Bootstraps.staticCluster("ws", "ROUND_ROBIN", "", ws.port())));
        LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + proxy.port() + "/ws"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        received.add(data.toString());
                        webSocket.request(1);
                        return CompletableFuture.completedFuture(null);
                    }
                }).get(10, TimeUnit.SECONDS);
        for (int i = 0; i < 3; i++) {
            socket.sendText("hello " + i, true).get(5, TimeUnit.SECONDS);
            assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("echo:hello " + i);
        }
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
    }
}
