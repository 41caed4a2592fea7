package dev.weft.examples.httpbin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class StatusChoiceTest {
    /** A random source that always returns the same fraction, to land on a chosen point of the weights. */
    private record FixedFraction(double fraction) implements RandomGenerator {
        @Override
        public long nextLong() {
            throw new UnsupportedOperationException();
        }

        @Override
        public double nextDouble() {
            return fraction;
        }
    }

    private static StatusChoice valid(String text) {
        return ((StatusChoice.Valid) StatusChoice.parse(text)).choice();
    }

    @Test
    void weightsSplitTheRangeInOrder() {
        StatusChoice choice = valid("200:0.9,503:0.1");

        assertThat(choice.pick(new FixedFraction(0.0))).isEqualTo(200);
        assertThat(choice.pick(new FixedFraction(0.89))).isEqualTo(200);
        assertThat(choice.pick(new FixedFraction(0.91))).isEqualTo(503);
        assertThat(choice.pick(new FixedFraction(0.999999))).isEqualTo(503);
    }

    @Test
    void unweightedCodesShareEqually() {
        StatusChoice choice = valid("200, 404 ,500");

        assertThat(choice.options()).extracting(StatusChoice.Weighted::status).containsExactly(200, 404, 500);
        assertThat(List.of(0.1, 0.5, 0.9)).map(f -> choice.pick(new FixedFraction(f))).containsExactly(200, 404, 500);
    }

    @Test
    void errorsNameTheBadPart() {
        assertThat(StatusChoice.parse("20x"))
                .isEqualTo(new StatusChoice.Invalid("invalid status code \"20x\": expected 200 to 599"));
        assertThat(StatusChoice.parse("200:-1"))
                .isEqualTo(new StatusChoice.Invalid("invalid weight \"-1\": expected a number >= 0"));
        assertThat(StatusChoice.parse("200:1:2")).asString().contains("CODE:WEIGHT");
        assertThat(StatusChoice.parse("200:0"))
                .isEqualTo(new StatusChoice.Invalid("at least one status needs a weight above 0"));
    }
}
