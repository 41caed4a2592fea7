package dev.weft.proxy.tls;

import dev.weft.proxy.config.ConfigException;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads an Envoy {@code DataSource} (a file, or inline text or bytes) at config time. */
public final class DataSources {

    /** What {@link #describe} says for inline data, as Envoy's /certs prints it. */
    static final String INLINE = "<inline>";

    private DataSources() {
    }

    public static byte[] read(DataSource source, String field) {
        return switch (source.getSpecifierCase()) {
            case FILENAME -> {
                try {
                    yield Files.readAllBytes(Path.of(source.getFilename()));
                } catch (IOException e) {
                    throw new ConfigException(field + ": cannot read " + source.getFilename() + " ("
                            + e.getClass().getSimpleName() + ")");
                }
            }
            case INLINE_STRING -> source.getInlineString().getBytes(StandardCharsets.UTF_8);
            case INLINE_BYTES -> source.getInlineBytes().toByteArray();
            default -> throw new ConfigException(field + " needs filename, inline_string or inline_bytes");
        };
    }

    static String describe(DataSource source) {
        return source.hasFilename() ? source.getFilename() : INLINE;
    }
}
