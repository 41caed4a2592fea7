package dev.weft.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** wrk's and h2load's summaries, in the shape their Debian versions (4.1.0, 1.52.0) print. */
class ToolOutputTest {

    @Test
    void readsWrkRateAndTotal() {
        WrkOutput out = WrkOutput.parse("""
                Running 1s test @ http://127.0.0.1:18777/1kb
                  1 threads and 4 connections
                  Thread Stats   Avg      Stdev     Max   +/- Stdev
                    Latency    43.62ms   54.93ms 220.00ms   83.20%
                    Req/Sec   218.86    144.47   390.00     57.14%
                  181 requests in 1.05s, 209.99KB read
                Requests/sec:    172.33
                Transfer/sec:    199.93KB
                """);

        assertThat(out).isEqualTo(new WrkOutput(181, 172.33, 0));
    }

    @Test
    void countsWrkNon2xxAndSocketErrors() {
        WrkOutput out = WrkOutput.parse("""
                  3583 requests in 1.01s, 0.86MB read
                  Socket errors: connect 1, read 2, write 3, timeout 4
                  Non-2xx or 3xx responses: 3583
                Requests/sec:   3545.01
                """);

        assertThat(out.errors()).isEqualTo(3583 + 10);
        assertThat(out.requestsPerSecond()).isEqualTo(3545.01);
    }

    @Test
    void readsH2loadSucceededRateAndFailures() {
        H2loadOutput out = H2loadOutput.parse("""
                finished in 2.00s, 8827.50 req/s, 9.95MB/s
                requests: 17655 total, 17671 started, 17655 done, 17650 succeeded, 5 failed, 2 errored, 0 timeout
                status codes: 17650 2xx, 0 3xx, 3 4xx, 0 5xx
                """);

        assertThat(out).isEqualTo(new H2loadOutput(17650, 8827.50, 5));
    }

    @Test
    void rejectsOutputThatIsNotTheTools() {
        assertThatThrownBy(() -> WrkOutput.parse("unable to connect to 127.0.0.1:1 Connection refused"))
                .hasMessageContaining("not wrk output");
        assertThatThrownBy(() -> H2loadOutput.parse("No protocol negotiated. Aborted"))
                .hasMessageContaining("not h2load output");
    }
}
