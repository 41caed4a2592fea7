package dev.weft.proxy.bootstrap;

import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;

/** The outcome of loading a bootstrap file. */
public sealed interface BootstrapResult {

    record Valid(Bootstrap bootstrap) implements BootstrapResult {
    }

    record Invalid(String message) implements BootstrapResult {
    }
}
