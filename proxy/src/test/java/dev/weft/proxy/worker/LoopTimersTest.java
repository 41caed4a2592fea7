package dev.weft.proxy.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LoopTimersTest {

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final LoopTimers timers = new LoopTimers(channel.eventLoop());
    private final List<String> fired = new ArrayList<>();

    /** Only advanceTimeBy moves the loop's clock, so a slow machine fires nothing early. */
    @BeforeEach
    void freezeTime() {
        channel.freezeTime();
    }

    private void advanceMillis(long millis) {
        channel.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
    }

    private LoopTimers.Timer timer(String name) {
        return timers.timer(() -> fired.add(name));
    }

    @Test
    void timersFireInDeadlineOrderWhenTheirTimeComes() {
        timer("c").arm(TimeUnit.MILLISECONDS.toNanos(30));
        timer("a").arm(TimeUnit.MILLISECONDS.toNanos(10));
        timer("b").arm(TimeUnit.MILLISECONDS.toNanos(20));

        advanceMillis(9);
        assertThat(fired).isEmpty();
        advanceMillis(1);
        assertThat(fired).containsExactly("a");
        advanceMillis(25);
        assertThat(fired).containsExactly("a", "b", "c");
        assertThat(timers.armed()).isZero();
    }

    @Test
    void aCancelledTimerDoesNotFireAndARearmedOneFiresAtItsNewDeadline() {
        LoopTimers.Timer cancelled = timer("cancelled");
        LoopTimers.Timer rearmed = timer("rearmed");
        cancelled.arm(TimeUnit.MILLISECONDS.toNanos(5));
        rearmed.arm(TimeUnit.MILLISECONDS.toNanos(5));

        cancelled.cancel();
        rearmed.arm(TimeUnit.MILLISECONDS.toNanos(50));
        advanceMillis(10);
        assertThat(fired).isEmpty();
        assertThat(cancelled.isArmed()).isFalse();
        assertThat(rearmed.isArmed()).isTrue();

        advanceMillis(40);
        assertThat(fired).containsExactly("rearmed");
        assertThat(rearmed.isArmed()).isFalse();
    }

    /** An earlier deadline than the loop's pending wake-up brings the wake-up forward. */
    @Test
    void anEarlierDeadlineArmedLaterStillFiresOnTime() {
        timer("late").arm(TimeUnit.SECONDS.toNanos(15));
        advanceMillis(100);
        timer("early").arm(TimeUnit.MILLISECONDS.toNanos(1));

        advanceMillis(1);
        assertThat(fired).containsExactly("early");
        advanceMillis(15_000);
        assertThat(fired).containsExactly("early", "late");
    }

    @Test
    void aTimerItsActionRearmsFiresAgain() {
        int[] runs = {0};
        LoopTimers.Timer[] self = new LoopTimers.Timer[1];
        self[0] = timers.timer(() -> {
            if (++runs[0] < 3) {
                self[0].arm(TimeUnit.MILLISECONDS.toNanos(10));
            }
        });
        self[0].arm(TimeUnit.MILLISECONDS.toNanos(10));

        for (int i = 0; i < 5; i++) {
            advanceMillis(10);
        }
        assertThat(runs[0]).isEqualTo(3);
    }

    @Test
    void aFailingActionDoesNotStopTheOthers() {
        timers.timer(() -> {
            throw new IllegalStateException("boom");
        }).arm(TimeUnit.MILLISECONDS.toNanos(1));
        timer("after").arm(TimeUnit.MILLISECONDS.toNanos(1));

        advanceMillis(1);
        assertThat(fired).containsExactly("after");
    }

    /** Against a model: random arms and cancels, each step's firings are exactly the timers due by then. */
    @Test
    void randomArmsAndCancelsFireExactlyTheDueTimers() {
        SplittableRandom random = new SplittableRandom(7);
        int count = 200;
        long[] due = new long[count];
        java.util.Arrays.fill(due, -1);
        List<Integer> firedIds = new ArrayList<>();
        List<LoopTimers.Timer> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int id = i;
            all.add(timers.timer(() -> firedIds.add(id)));
        }
        long now = 0;
        for (int step = 0; step < 2_000; step++) {
            int id = random.nextInt(count);
            if (random.nextInt(4) == 0) {
                all.get(id).cancel();
                due[id] = -1;
            } else {
                long delay = random.nextInt(1, 100);
                all.get(id).arm(TimeUnit.MILLISECONDS.toNanos(delay));
                due[id] = now + delay;
            }
            long advance = random.nextInt(0, 5);
            now += advance;
            firedIds.clear();
            advanceMillis(advance);
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                if (due[i] >= 0 && due[i] <= now) {
                    expected.add(i);
                    due[i] = -1;
                }
            }
            assertThat(firedIds).as("step %d", step).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    @Test
    void onARealEventLoopATimerFiresAfterItsDelay() throws Exception {
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            EventExecutor loop = group.next();
            LoopTimers real = new LoopTimers(loop);
            CompletableFuture<Long> firedAfter = new CompletableFuture<>();
            long start = System.nanoTime();
            loop.execute(() -> real.timer(() -> firedAfter.complete(System.nanoTime() - start))
                    .arm(TimeUnit.MILLISECONDS.toNanos(50)));

            assertThat(firedAfter.get(5, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
