package dev.weft.controlplane.config;

import dev.weft.model.ConfigError;
import java.util.List;

/**
 * What an apply or delete did to each resource it named ({@code VirtualService default/reviews created}), or why it
 * did nothing.
 */
public record ApplyResult(List<Outcome> outcomes, List<ConfigError> errors) {

    /** What happened to one resource, in kubectl's words. */
    public enum Action {
        CREATED("created"), CONFIGURED("configured"), UNCHANGED("unchanged"), DELETED("deleted"),
        NOT_FOUND("not found");

        private final String word;

        Action(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }

        boolean changes() {
            return this == CREATED || this == CONFIGURED || this == DELETED;
        }
    }

    /**
     * @param resource as {@link dev.weft.model.Resource#displayName()}
     * @param source the file (or label) that named it
     */
    public record Outcome(String resource, Action action, String source) {
    }

    public ApplyResult {
        outcomes = List.copyOf(outcomes);
        errors = List.copyOf(errors);
    }

    public boolean accepted() {
        return errors.stream().noneMatch(ConfigError::isError);
    }

    /** The resources this changed (created, configured or deleted). */
    public List<String> changed() {
        return outcomes.stream().filter(o -> o.action().changes()).map(Outcome::resource).toList();
    }

    /** The resources a delete named that were not there. */
    public List<Outcome> notFound() {
        return outcomes.stream().filter(o -> o.action() == Action.NOT_FOUND).toList();
    }
}
