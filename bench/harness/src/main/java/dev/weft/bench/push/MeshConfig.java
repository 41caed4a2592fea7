package dev.weft.bench.push;

import java.util.ArrayList;
import java.util.List;

/**
 * The config weftd serves during the push benchmark: Bookinfo's four services (reviews with three versions),
 * their DestinationRules and VirtualServices, plus a number of extra services each with its own VirtualService.
 * The change under test is the reviews VirtualService moving from v1 to a v1/v3 weighted split.
 */
final class MeshConfig {

    static final String CHANGED_RESOURCE = "VirtualService default/reviews";

    private MeshConfig() {
    }

    static String yaml(int extraServices) {
        List<String> docs = new ArrayList<>();
        docs.add(service("productpage", 9080));
        docs.add(service("details", 9080));
        docs.add(service("reviews", 9080));
        docs.add(service("ratings", 9080));
        for (String app : List.of("productpage", "details", "ratings")) {
            docs.add(destinationRule(app, List.of("v1")));
            docs.add(virtualService(app, "        subset: v1\n"));
        }
        docs.add(destinationRule("reviews", List.of("v1", "v2", "v3")));
        docs.add(reviewsAllV1());
        for (int i = 0; i < extraServices; i++) {
            String name = String.format("svc-%03d", i);
            docs.add(service(name, 8080));
            docs.add(virtualService(name, ""));
        }
        return String.join("---\n", docs);
    }

    static String reviewsAllV1() {
        return virtualService("reviews", "        subset: v1\n");
    }

    static String reviewsSplit() {
        return """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata:
                  name: reviews
                  namespace: default
                spec:
                  hosts:
                  - reviews
                  http:
                  - route:
                    - destination:
                        host: reviews
                        subset: v1
                      weight: 50
                    - destination:
                        host: reviews
                        subset: v3
                      weight: 50
                """;
    }

    private static String service(String name, int port) {
        return """
                apiVersion: v1
                kind: Service
                metadata:
                  name: %s
                  namespace: default
                spec:
                  selector:
                    app: %s
                  ports:
                  - name: http
                    port: %d
                """.formatted(name, name, port);
    }

    private static String destinationRule(String host, List<String> versions) {
        StringBuilder subsets = new StringBuilder();
        for (String v : versions) {
            subsets.append("  - name: ").append(v).append("\n    labels:\n      version: ").append(v).append('\n');
        }
        return """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata:
                  name: %s
                  namespace: default
                spec:
                  host: %s
                  subsets:
                """.formatted(host, host) + subsets;
    }

    private static String virtualService(String host, String destinationExtra) {
        return """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata:
                  name: %s
                  namespace: default
                spec:
                  hosts:
                  - %s
                  http:
                  - timeout: 10s
                    route:
                    - destination:
                        host: %s
                """.formatted(host, host, host) + destinationExtra;
    }
}
