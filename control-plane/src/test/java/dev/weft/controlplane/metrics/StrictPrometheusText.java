package dev.weft.controlplane.metrics;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the Prometheus text format (0.0.4) strictly, failing on anything Prometheus would refuse or a careless
 * exporter gets wrong: a sample before its family's TYPE, a family's samples split up, HELP or TYPE twice, invalid
 * metric or label names, bad escapes, duplicate series, a sample name that does not belong to its family, a negative
 * counter, histogram buckets that fall, lack {@code +Inf}, or disagree with {@code _count}.
 * The series come back keyed as {@code name{a="x",b="y"}} with labels sorted by name.
 */
public final class StrictPrometheusText {

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern COMMENT = Pattern.compile("# (HELP|TYPE) (\\S+) ?(.*)");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");
    private static final Pattern FLOAT = Pattern.compile(
            "[+-]?(Inf|NaN|(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?)");

    private StrictPrometheusText() {
    }

    /** GETs {@code /metrics} from weftd's HTTP port and reads it strictly; checks the Content-Type too. */
    public static Map<String, Double> scrape(int httpPort) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError("/metrics answered " + response.statusCode() + ": " + response.body());
        }
        String type = response.headers().firstValue("content-type").orElse("");
        if (!type.startsWith("text/plain; version=0.0.4")) {
            throw new AssertionError("/metrics Content-Type is " + type);
        }
        return parse(response.body());
    }

    public static Map<String, Double> parse(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new AssertionError("the exposition does not end with a newline");
        }
        Map<String, Double> series = new LinkedHashMap<>();
        Map<String, String> typeOf = new HashMap<>();
        Set<String> helped = new HashSet<>();
        Set<String> finished = new HashSet<>();
        String current = null;
        Map<String, List<double[]>> buckets = new HashMap<>();
        String[] lines = text.split("\n", -1);
        // The text ends with a newline, so the last element is the empty rest after it.
        for (int number = 1; number < lines.length; number++) {
            String line = lines[number - 1];
            check(!line.isEmpty(), "line " + number + ": empty line");
            String where = "line " + number + " (" + line + "): ";
            if (line.startsWith("#")) {
                Matcher comment = COMMENT.matcher(line);
                if (!comment.matches()) {
                    throw new AssertionError(where + "not a HELP or TYPE line");
                }
                String name = comment.group(2);
                check(METRIC_NAME.matcher(name).matches(), where + "invalid metric name");
                if (!name.equals(current)) {
                    check(!finished.contains(name) && !typeOf.containsKey(name) && !helped.contains(name),
                            where + "family " + name + " appears twice");
                    if (current != null) {
                        finished.add(current);
                    }
                    current = name;
                }
                if (comment.group(1).equals("TYPE")) {
                    check(!typeOf.containsKey(name), where + "second TYPE");
                    check(TYPES.contains(comment.group(3)), where + "unknown type");
                    typeOf.put(name, comment.group(3));
                } else {
                    check(helped.add(name), where + "second HELP");
                    checkHelpEscapes(comment.group(3), where);
                }
                continue;
            }
            Sample sample = sample(line, where);
            String family = current;
            check(family != null && typeOf.containsKey(family), where + "sample before its family's TYPE");
            String type = typeOf.get(family);
            check(belongs(sample.name, family, type), where + "sample does not belong to family " + family);
            String key = key(sample.name, sample.labels);
            check(series.put(key, sample.value) == null, where + "duplicate series " + key);
            if (type.equals("counter")) {
                check(sample.value >= 0, where + "negative counter");
            }
            if (type.equals("histogram") && sample.name.equals(family + "_bucket")) {
                String le = sample.labels.remove("le");
                check(le != null, where + "bucket without le");
                double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
                buckets.computeIfAbsent(key(family, sample.labels), k -> new ArrayList<>())
                        .add(new double[] {bound, sample.value});
            }
        }
        buckets.forEach((histogram, bounds) -> {
            for (int i = 1; i < bounds.size(); i++) {
                check(bounds.get(i)[0] > bounds.get(i - 1)[0], histogram + ": bucket bounds out of order");
                check(bounds.get(i)[1] >= bounds.get(i - 1)[1], histogram + ": buckets are not cumulative");
            }
            double[] last = bounds.getLast();
            check(last[0] == Double.POSITIVE_INFINITY, histogram + ": no +Inf bucket");
            String count = histogram.contains("{") ? histogram.replaceFirst("\\{", "_count{") : histogram + "_count";
            check(Double.valueOf(last[1]).equals(series.get(count)), histogram + ": +Inf bucket differs from _count");
        });
        return series;
    }

    private record Sample(String name, Map<String, String> labels, double value) {
    }

    private static Sample sample(String line, String where) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        String name = line.substring(0, i);
        check(METRIC_NAME.matcher(name).matches(), where + "invalid metric name");
        Map<String, String> labels = new TreeMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf("=\"", i);
                check(eq > i, where + "label without =\"");
                String label = line.substring(i, eq);
                check(LABEL_NAME.matcher(label).matches(), where + "invalid label name " + label);
                StringBuilder value = new StringBuilder();
                int j = eq + 2;
                while (line.charAt(j) != '"') {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char next = line.charAt(j + 1);
                        check(next == '\\' || next == '"' || next == 'n', where + "bad escape \\" + next);
                        value.append(next == 'n' ? '\n' : next);
                        j += 2;
                    } else {
                        value.append(c);
                        j++;
                    }
                }
                check(labels.put(label, value.toString()) == null, where + "label " + label + " twice");
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                } else {
                    check(line.charAt(i) == '}', where + "labels not separated by commas");
                }
            }
            i++;
        }
        check(i < line.length() && line.charAt(i) == ' ', where + "no space before the value");
        String[] rest = line.substring(i + 1).split(" ");
        check(rest.length <= 2 && FLOAT.matcher(rest[0]).matches(), where + "not a value: " + rest[0]);
        double value = rest[0].endsWith("Inf") ? (rest[0].startsWith("-") ? Double.NEGATIVE_INFINITY
                : Double.POSITIVE_INFINITY) : Double.parseDouble(rest[0]);
        return new Sample(name, labels, value);
    }

    /** HELP text escapes only backslashes and newlines. */
    private static void checkHelpEscapes(String text, String where) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\\') {
                char next = i + 1 < text.length() ? text.charAt(i + 1) : ' ';
                check(next == '\\' || next == 'n', where + "bad escape");
                i++;
            }
        }
    }

    private static boolean belongs(String sample, String family, String type) {
        return switch (type) {
            case "histogram" -> sample.equals(family + "_bucket") || sample.equals(family + "_sum")
                    || sample.equals(family + "_count");
            case "summary" -> sample.equals(family) || sample.equals(family + "_sum")
                    || sample.equals(family + "_count");
            default -> sample.equals(family);
        };
    }

    static String key(String name, Map<String, String> labels) {
        if (labels.isEmpty()) {
            return name;
        }
        StringBuilder key = new StringBuilder(name).append('{');
        new TreeMap<>(labels).forEach((k, v) -> key.append(k).append("=\"").append(v).append("\","));
        key.setLength(key.length() - 1);
        return key.append('}').toString();
    }

    private static void check(boolean ok, String failure) {
        if (!ok) {
            throw new AssertionError(failure);
        }
    }
}
