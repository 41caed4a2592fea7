package dev.weft.kube.config;

import dev.weft.model.ConfigError;
import java.util.List;

/** Tells a cluster's users what was wrong with an object they wrote. */
public interface ValidationReporter {

    /** Nobody to tell. */
    ValidationReporter NONE = (object, errors) -> {
    };

    /** The object's current version was parsed: {@code errors} is what rejected it, empty when it was accepted. */
    void report(KubeObject object, List<ConfigError> errors);
}
