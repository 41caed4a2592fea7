package dev.weft.controlplane.ads;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Value;
import dev.weft.controlplane.ca.Caller;
import dev.weft.controlplane.config.ReloadedFile;
import dev.weft.model.EchoedValue;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;

/**
 * Local mode's proxy admission, until proxies authenticate with certificates: {@code weft up} gives every proxy it
 * starts a random token, in its bootstrap's node metadata ({@value #METADATA_KEY}), and lists each node ID with its
 * token in a JSON file only its user can read. A stream whose node ID has no token there, or that sends another one,
 * is refused: a hand-written bootstrap claiming {@code app=httpbin} no longer joins the mesh. The file is read again
 * whenever it changed, since {@code weft up} issues tokens after weftd started.
 */
public final class ProxyTokens implements ProxyAdmission {

    /** The node metadata field carrying the token. */
    public static final String METADATA_KEY = "WEFT_PROXY_TOKEN";

    private final ReloadedFile<Map<String, String>> tokens;

    public ProxyTokens(Path file) {
        ObjectMapper json = new ObjectMapper();
        this.tokens = new ReloadedFile<>(file, Map.of(),
                f -> Map.copyOf(json.readValue(f.toFile(), new TypeReference<Map<String, String>>() { })));
    }

    @Override
    public synchronized Optional<String> refusal(Node node, Caller caller) {
        String shown = "node \"" + EchoedValue.of(node.getId()) + "\"";
        String issued = tokens.current().get(node.getId());
        if (issued == null) {
            return Optional.of(shown + " was not started by this mesh: weft up issued no proxy token for it");
        }
        Value sent = node.getMetadata().getFieldsMap().get(METADATA_KEY);
        if (sent == null || !sent.hasStringValue()) {
            return Optional.of(shown + " sent no " + METADATA_KEY + " in its metadata");
        }
        if (!MessageDigest.isEqual(issued.getBytes(StandardCharsets.UTF_8),
                sent.getStringValue().getBytes(StandardCharsets.UTF_8))) {
            return Optional.of(shown + " sent a " + METADATA_KEY + " that is not the one issued to it");
        }
        return Optional.empty();
    }

    /** The node without its token, so no scope, status or debug output carries it further. */
    public static Node withoutToken(Node node) {
        if (!node.getMetadata().containsFields(METADATA_KEY)) {
            return node;
        }
        return node.toBuilder().setMetadata(node.getMetadata().toBuilder().removeFields(METADATA_KEY)).build();
    }
}
