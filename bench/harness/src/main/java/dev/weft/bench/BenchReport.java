package dev.weft.bench;

import java.util.List;

/** A whole run: its facts and every system's turn in every round, as written to bench/results/*.json. */
record BenchReport(RunMeta meta, List<SystemRound> rounds) {

    BenchReport {
        rounds = List.copyOf(rounds);
    }
}
