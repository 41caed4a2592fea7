package dev.weft.bench;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Fills {@code ${name}} placeholders in a config file; a placeholder with no value is an error, not a blank. */
final class ConfigTemplate {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-z0-9_]+)}");

    private ConfigTemplate() {
    }

    static String render(String template, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("no value for ${" + m.group(1) + "}");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return m.appendTail(out).toString();
    }
}
