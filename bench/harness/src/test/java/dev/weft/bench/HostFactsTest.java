package dev.weft.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HostFactsTest {

    @Test
    void readsCpuPressureFromPsi() {
        assertThat(HostFacts.cpuPressure("""
                some avg10=73.14 avg60=91.11 avg300=94.91 total=2351356216
                full avg10=0.00 avg60=0.00 avg300=0.00 total=0
                """)).isEqualTo("73.14 % over 10 s, 91.11 % over 60 s");
        assertThat(HostFacts.cpuPressure("")).isEqualTo("unavailable");
    }

    @Test
    void readsThisMachine() {
        // This JVM may be pinned to fewer CPUs than the machine has, never to more.
        assertThat(HostFacts.cpus()).isGreaterThanOrEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(HostFacts.loadAverage()).matches("[\\d.]+ [\\d.]+ [\\d.]+");
    }
}
