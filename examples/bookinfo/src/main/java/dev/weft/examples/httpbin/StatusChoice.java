package dev.weft.examples.httpbin;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The status list of {@code /status/{codes}}: one code ({@code 503}), a comma-separated choice
 * ({@code 200,503}) or a weighted one ({@code 200:0.9,503:0.1}), as httpbin accepts.
 */
record StatusChoice(List<Weighted> options) {
    static final int MIN_STATUS = 200;
    static final int MAX_STATUS = 599;

    record Weighted(int status, double weight) {
    }

    StatusChoice {
        options = List.copyOf(options);
    }

    /** What parsing gave: a choice, or a message for the caller's 400 answer. */
    sealed interface Parsed {
    }

    record Valid(StatusChoice choice) implements Parsed {
    }

    record Invalid(String message) implements Parsed {
    }

    static Parsed parse(String text) {
        List<Weighted> options = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            String[] codeAndWeight = part.split(":", -1);
            if (codeAndWeight.length > 2) {
                return new Invalid("invalid status entry \"" + part + "\": expected CODE or CODE:WEIGHT");
            }
            Optional<Integer> status = parseStatus(codeAndWeight[0].strip());
            if (status.isEmpty()) {
                return new Invalid("invalid status code \"" + codeAndWeight[0].strip() + "\": expected "
                        + MIN_STATUS + " to " + MAX_STATUS);
            }
            double weight = 1;
            if (codeAndWeight.length == 2) {
                try {
                    weight = Double.parseDouble(codeAndWeight[1].strip());
                } catch (NumberFormatException e) {
                    weight = -1;
                }
                if (!(weight >= 0) || Double.isInfinite(weight)) {
                    return new Invalid("invalid weight \"" + codeAndWeight[1].strip() + "\": expected a number >= 0");
                }
            }
            options.add(new Weighted(status.get(), weight));
        }
        if (options.stream().mapToDouble(Weighted::weight).sum() <= 0) {
            return new Invalid("at least one status needs a weight above 0");
        }
        return new Valid(new StatusChoice(options));
    }

    int pick(RandomGenerator random) {
        double total = options.stream().mapToDouble(Weighted::weight).sum();
        double point = random.nextDouble() * total;
        for (Weighted option : options) {
            point -= option.weight();
            if (point < 0) {
                return option.status();
            }
        }
        return options.stream().filter(o -> o.weight() > 0).reduce((a, b) -> b).orElseThrow().status();
    }

    private static Optional<Integer> parseStatus(String text) {
        if (text.length() != 3 || !text.chars().allMatch(Character::isDigit)) {
            return Optional.empty();
        }
        int status = Integer.parseInt(text);
        return status >= MIN_STATUS && status <= MAX_STATUS ? Optional.of(status) : Optional.empty();
    }
}
