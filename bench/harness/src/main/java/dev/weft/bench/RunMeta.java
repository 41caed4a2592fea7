package dev.weft.bench;

import java.util.List;
import java.util.Map;

/** What a reader needs to reproduce or discount a run: when, where, which commit, how loaded, how placed. */
record RunMeta(String date, String cpuModel, int cpus, String commit, String loadAverageBefore,
        String loadAverageAfter, String cpuPressureBefore, String cpuPressureAfter, String placement, Map<String, String> toolVersions, BenchSettingsView settings,
        List<SystemView> systems) {

    RunMeta {
        toolVersions = Map.copyOf(toolVersions);
        systems = List.copyOf(systems);
    }

    record BenchSettingsView(long durationSeconds, long warmupSeconds, double rate, int rounds, String proxyCpus,
            String loadCpus, String path) {

        static BenchSettingsView of(BenchSettings s) {
            return new BenchSettingsView(s.duration().toSeconds(), s.warmup().toSeconds(), s.rate(), s.rounds(),
                    s.proxyCpus(), s.loadCpus(), s.path());
        }
    }

    record SystemView(String name, String description, String command) {
    }

    RunMeta withMachineStateAfter(String loadAverage, String cpuPressure) {
        return new RunMeta(date, cpuModel, cpus, commit, loadAverageBefore, loadAverage, cpuPressureBefore,
                cpuPressure, placement, toolVersions, settings, systems);
    }
}
