package dev.weft.bench;

import java.util.List;

/** One system's turn in one round: startup, idle RSS and every scenario. Null fields do not apply to direct. */
record SystemRound(String system, int round, Double startupMillis, Long idleRssKb, List<ScenarioResult> scenarios) {

    SystemRound {
        scenarios = List.copyOf(scenarios);
    }
}
