package dev.weft.proxy.stats;

import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One of the bootstrap's {@code stats_tags}: turns a part of a stat's name into a Prometheus label. A regex's first
 * capture group is the part cut from the name, its second (or else its first) the label's value; a fixed value
 * labels every stat. As in Envoy, stats tag regexes are ECMAScript-style (Istio's use look-ahead) with POSIX
 * classes such as {@code [:digit:]} inside brackets, which Java spells differently; they come from the bootstrap,
 * never from traffic.
 *
 * <p>The cluster tag is the exception: a regex cannot tell where a cluster's name ends when it has dots in it
 * (Istio's regex guesses with {@code .svc.cluster.local}, and cuts {@code outbound|80||httpbin.org} short), so a tag
 * whose regex starts at {@code ^cluster\.} takes the longest configured cluster name the stat starts with, and falls
 * back to its regex only for a stat of no known cluster.
 */
public final class TagExtractor {

    /** What one extractor found: the label value and the part of the name to cut, {@code [start, end)}. */
    record Found(String value, int start, int end) {
    }

    private static final String CLUSTER_REGEX_START = "^cluster\\.";

    private final String name;
    private final String labelName;
    private final Pattern regex;
    private final String fixedValue;

    private TagExtractor(String name, Pattern regex, String fixedValue) {
        this.name = name;
        this.labelName = name.replaceAll("[^a-zA-Z0-9_]", "_");
        this.regex = regex;
        this.fixedValue = fixedValue;
    }

    /** @throws IllegalArgumentException naming the tag when the regex does not compile */
    public static TagExtractor regex(String name, String regex) {
        try {
            return new TagExtractor(name, Pattern.compile(javaSyntax(regex)), null);
        } catch (java.util.regex.PatternSyntaxException e) {
            throw new IllegalArgumentException("stats tag '" + name + "': invalid regex '" + regex + "': "
                    + e.getDescription(), e);
        }
    }

    public static TagExtractor fixed(String name, String value) {
        return new TagExtractor(name, null, value);
    }

    public String name() {
        return name;
    }

    String labelName() {
        return labelName;
    }

    /** The tag in {@code stat}, or null; {@code clustersLongestFirst} are the cluster names the proxy has. */
    Found find(String stat, Collection<String> clustersLongestFirst) {
        if (fixedValue != null) {
            return new Found(fixedValue, 0, 0);
        }
        if (regex.pattern().startsWith(CLUSTER_REGEX_START) && stat.startsWith("cluster.")) {
            for (String cluster : clustersLongestFirst) {
                if (stat.startsWith(cluster + ".", "cluster.".length())) {
                    int start = "cluster.".length();
                    return new Found(cluster, start, start + cluster.length() + 1);
                }
            }
        }
        Matcher m = regex.matcher(stat);
        if (!m.find() || m.groupCount() < 1 || m.group(1) == null) {
            return null;
        }
        int valueGroup = m.groupCount() >= 2 && m.group(2) != null ? 2 : 1;
        return new Found(m.group(valueGroup), m.start(1), m.end(1));
    }

    /** POSIX bracket classes as Java writes them. */
    private static String javaSyntax(String regex) {
        return regex.replace("[:digit:]", "\\d").replace("[:alpha:]", "\\p{Alpha}").replace("[:alnum:]", "\\p{Alnum}")
                .replace("[:space:]", "\\s").replace("[:upper:]", "\\p{Upper}").replace("[:lower:]", "\\p{Lower}")
                .replace("[:xdigit:]", "\\p{XDigit}").replace("[:punct:]", "\\p{Punct}");
    }
}
