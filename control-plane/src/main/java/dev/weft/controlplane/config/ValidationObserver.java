package dev.weft.controlplane.config;

import dev.weft.model.load.LoadResult;

/** Told of every load of config a user changed (a directory reload, an apply), e.g. to count validations. */
public interface ValidationObserver {

    ValidationObserver NONE = result -> {
    };

    void validated(LoadResult result);
}
