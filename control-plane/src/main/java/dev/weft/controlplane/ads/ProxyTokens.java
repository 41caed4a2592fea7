package dev.weft.controlplane.ads;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Value;
import dev.weft.model.EchoedValue;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Logger;

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
    private static final Logger LOG = Logger.getLogger(ProxyTokens.class.getName());

    /** The tokens as last read, and what identified that version of the file. */
    private record Read(Object fileKey, long modified, long size, Map<String, String> tokens) {

        static final Read NONE = new Read(null, -1, -1, Map.of());
    }

    private final Path file;
    private final ObjectMapper json = new ObjectMapper();
    private Read read = Read.NONE;

    public ProxyTokens(Path file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    @Override
    public synchronized Optional<String> refusal(Node node) {
        String shown = "node \"" + EchoedValue.of(node.getId()) + "\"";
        String issued = current().get(node.getId());
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

    private Map<String, String> current() {
        try {
            BasicFileAttributes now = Files.readAttributes(file, BasicFileAttributes.class);
            if (!Objects.equals(now.fileKey(), read.fileKey()) || now.lastModifiedTime().toMillis() != read.modified()
                    || now.size() != read.size()) {
                read = new Read(now.fileKey(), now.lastModifiedTime().toMillis(), now.size(),
                        Map.copyOf(json.readValue(file.toFile(), new TypeReference<Map<String, String>>() { })));
            }
        } catch (NoSuchFileException e) {
            read = Read.NONE;
        } catch (IOException e) {
            LOG.warning(() -> "cannot read the proxy tokens " + file + ", keeping the last ones read: " + e);
        }
        return read.tokens();
    }
}
