package dev.weft.controlplane.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** istiod's {@code istio_build{component="pilot",tag=...}} gauge, 1, with weftd's version as the tag. */
final class BuildInfo {

    private BuildInfo() {
    }

    static void register(MetricRegistry registry) {
        Gauge.register(registry, "istio_build", "Istio component build info", "component", "tag")
                .labels("pilot", version()).set(1);
    }

    /** The version Maven wrote into {@code version.properties} when it built weftd. */
    static String version() {
        try (InputStream in = BuildInfo.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("version.properties is missing from weftd's classes");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
