package dev.weft.bench;

import java.util.List;

/**
 * One system's turn in one round: startup and idle memory of its one-hop proxy, and every scenario. Null fields do
 * not apply to direct.
 */
record SystemRound(String system, int round, Double startupMillis, Long idleRssKb, Long idlePssKb,
        List<ScenarioResult> scenarios) {

    SystemRound {
        scenarios = List.copyOf(scenarios);
    }
}
