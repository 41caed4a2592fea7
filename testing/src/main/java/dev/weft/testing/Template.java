package dev.weft.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders text with {@code ${name}} placeholders, typically a bootstrap file that needs the ephemeral ports
 * of fake upstreams. An unknown placeholder is an error, so a typo cannot silently produce a broken config.
 */
public final class Template {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_.-]+)}");

    private final String text;

    private Template(String text) {
        this.text = text;
    }

    public static Template of(String text) {
        return new Template(text);
    }

    /** Loads a template from the class path of {@code anchor}, e.g. {@code Template.resource(getClass(), "basic.yaml")}. */
    public static Template resource(Class<?> anchor, String name) {
        try (InputStream in = anchor.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no template resource " + name + " beside " + anchor.getName());
            }
            return new Template(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String render(Map<String, ?> values) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Object value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("template placeholder ${" + m.group(1) + "} has no value");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value.toString()));
        }
        m.appendTail(out);
        return out.toString();
    }
}
