package dev.weft.proxy.router;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.random.RandomGenerator;

/** How a forwarding route names its cluster: one name, a weighted split, or a request header. */
public sealed interface ClusterSpecifier {

    /** The chosen cluster name, or null when none can be chosen (e.g. the header is missing). */
    String choose(HttpHeaders headers, RandomGenerator random);

    record Single(String cluster) implements ClusterSpecifier {
        @Override
        public String choose(HttpHeaders headers, RandomGenerator random) {
            return cluster;
        }
    }

    record FromHeader(String header) implements ClusterSpecifier {
        @Override
        public String choose(HttpHeaders headers, RandomGenerator random) {
            return headers.get(header);
        }
    }

    /** Clusters with weights; {@code cumulative[i]} is the sum of weights up to and including i. */
    record Weighted(List<WeightedTarget> targets, long[] cumulative) implements ClusterSpecifier {

        public Weighted {
            targets = List.copyOf(targets);
            cumulative = cumulative.clone();
        }

        public static Weighted of(List<WeightedTarget> targets) {
            long[] cumulative = new long[targets.size()];
            long sum = 0;
            for (int i = 0; i < targets.size(); i++) {
                sum += targets.get(i).weight();
                cumulative[i] = sum;
            }
            return new Weighted(targets, cumulative);
        }

        @Override
        public String choose(HttpHeaders headers, RandomGenerator random) {
            return pick(random).cluster();
        }

        public WeightedTarget pick(RandomGenerator random) {
            long total = cumulative[cumulative.length - 1];
            long r = random.nextLong(total);
            for (int i = 0; i < cumulative.length; i++) {
                if (r < cumulative[i]) {
                    return targets.get(i);
                }
            }
            return targets.get(targets.size() - 1);
        }
    }

    /** One cluster of a weighted split, with its own header mutations. */
    record WeightedTarget(String cluster, long weight, HeaderMutation requestHeaders, HeaderMutation responseHeaders) {
    }
}
