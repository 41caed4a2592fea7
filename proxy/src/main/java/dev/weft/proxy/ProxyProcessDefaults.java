package dev.weft.proxy;

import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;

/**
 * What a proxy process sets before its first Netty class runs. Each setting is a system property or a default the
 * operator can still override on the command line.
 */
final class ProxyProcessDefaults {

    private static final String LOG_FORMAT_PROPERTY = "java.util.logging.SimpleFormatter.format";
    private static final String NETTY_JFR_PROPERTY = "io.netty.jfr.enabled";

    private ProxyProcessDefaults() {
    }

    static void apply() {
        setUnlessGiven(LOG_FORMAT_PROPERTY, "[%1$tFT%1$tT.%1$tLZ] [%4$s] %3$s: %5$s%6$s%n");
        // Netty's allocator reports JFR events whenever JFR is available. Loading one event class loads about 100
        // JFR classes into every proxy's metaspace or AOT cache, for events nobody records unless they profile, when
        // they can set the property to true.
        setUnlessGiven(NETTY_JFR_PROPERTY, "false");
        // Netty logs where the proxy logs, java.util.logging, whatever else is on the class path: left to itself it
        // looks for SLF4J and Log4J by class name first.
        InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
    }

    private static void setUnlessGiven(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }
}
