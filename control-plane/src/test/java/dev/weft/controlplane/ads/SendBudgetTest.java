package dev.weft.controlplane.ads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SendBudgetTest {

    private final List<String> granted = new ArrayList<>();

    private boolean acquire(SendBudget budget, String who, long bytes) {
        return budget.acquire(bytes, () -> granted.add(who));
    }

    @Test
    void requestsWithinTheLimitGoAtOnceAndTheRestWaitInArrivalOrder() {
        SendBudget budget = new SendBudget(100);

        assertThat(acquire(budget, "a", 60)).isTrue();
        assertThat(acquire(budget, "b", 30)).isTrue();
        assertThat(acquire(budget, "c", 50)).isFalse();
        assertThat(acquire(budget, "d", 10)).as("fits, but queues behind c so c is not starved").isFalse();
        assertThat(budget.waiting()).isEqualTo(2);

        budget.release(30);
        assertThat(granted).as("60 + 50 is over the limit").isEmpty();
        budget.release(60);
        assertThat(granted).containsExactly("c", "d");
        assertThat(budget.inFlight()).isEqualTo(60);
        assertThat(budget.peak()).isEqualTo(90);
    }

    @Test
    void aRequestLargerThanTheBudgetGoesAloneWhenNothingElseIsInFlight() {
        SendBudget budget = new SendBudget(100);
        assertThat(acquire(budget, "small", 10)).isTrue();
        assertThat(acquire(budget, "huge", 500)).isFalse();
        assertThat(acquire(budget, "after", 10)).isFalse();

        budget.release(10);
        assertThat(granted).containsExactly("huge");
        budget.release(500);
        assertThat(granted).containsExactly("huge", "after");
        budget.release(10);
        assertThat(budget.inFlight()).isZero();
        assertThat(budget.peak()).isEqualTo(500);
    }

    @Test
    void theLimitMustBePositive() {
        assertThatThrownBy(() -> new SendBudget(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("positive");
    }
}
