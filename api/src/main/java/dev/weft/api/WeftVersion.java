package dev.weft.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version Maven wrote into {@code version.properties} when it built weft: weftd's, its proxies' (Istio's
 * {@code ISTIO_VERSION}) and the command line's.
 */
public final class WeftVersion {

    private WeftVersion() {
    }

    public static String get() {
        try (InputStream in = WeftVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("version.properties is missing from weft's classes");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
