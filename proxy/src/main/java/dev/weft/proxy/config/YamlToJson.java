package dev.weft.proxy.config;

import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * YAML text as compact JSON text, its plain scalars typed by YAML 1.2's core schema: booleans are only
 * {@code true}/{@code false} ({@code True}, {@code TRUE}, ...), nulls {@code null}, {@code ~} or nothing, integers
 * decimal, {@code 0o} octal or {@code 0x} hex, floats decimal or {@code .inf}/{@code .nan}; anything else is a string.
 * (SnakeYAML's default is YAML 1.1's, where {@code on}, {@code yes}, {@code 2026-01-01}, {@code 010} and
 * {@code 1:20} are a boolean, a boolean, a date, 8 and 80.) Infinite and NaN floats become the strings proto3's JSON
 * mapping spells them with, as JSON has no such numbers.
 * <p>
 * The text's first document is read. A mapping's repeated key keeps its last value, and a key is its scalar's text.
 * Aliases are expanded. SnakeYAML only composes nodes here, constructing no objects; what hostile text can cost is
 * bounded by its size, its nesting, its number of aliases and its number of values once aliases are expanded (a
 * "billion laughs" is a few aliases of aliases).
 */
public final class YamlToJson {

    /** A bootstrap is tens of KB. */
    static final int MAX_CODE_POINTS = 4 * 1024 * 1024;
    /**
     * Mappings and sequences nested below the root, before and after aliases are expanded; protobuf's JSON parser
     * allows as many.
     */
    static final int MAX_DEPTH = 100;
    /** Aliases of a mapping or a sequence (of a scalar they cost nothing). */
    static final int MAX_ALIASES = 100;
    /** Scalars, mappings and sequences written, aliases expanded: a bootstrap has hundreds, a large one thousands. */
    static final int MAX_VALUES = 250_000;

    private static final Pattern CORE_NULL = Pattern.compile("null|Null|NULL|~|");
    private static final Pattern CORE_BOOL = Pattern.compile("true|True|TRUE|false|False|FALSE");
    private static final Pattern CORE_INT = Pattern.compile("[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+");
    private static final Pattern CORE_FLOAT = Pattern.compile(
            "[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)");
    /** What a scalar of each core type must look like, whether its tag was resolved or written ({@code !!int}). */
    private static final Map<Tag, Pattern> CORE_TYPES = Map.of(Tag.NULL, CORE_NULL, Tag.BOOL, CORE_BOOL,
            Tag.INT, CORE_INT, Tag.FLOAT, CORE_FLOAT);

    private final JsonWriter json;
    private int values;

    private YamlToJson(JsonWriter json) {
        this.json = json;
    }

    /** The first document as JSON: {@code null} when the text has none. */
    public static String convert(String yaml) throws InvalidYaml {
        LoaderOptions limits = new LoaderOptions();
        limits.setCodePointLimit(MAX_CODE_POINTS);
        limits.setNestingDepthLimit(MAX_DEPTH);
        limits.setMaxAliasesForCollections(MAX_ALIASES);
        Node document;
        try {
            Composer composer = new Composer(new ParserImpl(new StreamReader(yaml), limits), new CoreSchema(), limits);
            document = composer.checkNode() ? composer.getNode() : null;
        } catch (MarkedYAMLException e) {
            String context = e.getContext() == null ? "" : e.getContext() + at(e.getContextMark()) + ": ";
            throw new InvalidYaml(context + e.getProblem() + at(e.getProblemMark()));
        } catch (YAMLException e) {
            throw new InvalidYaml(e.getMessage());
        }
        StringWriter out = new StringWriter();
        try {
            JsonWriter writer = new JsonWriter(out);
            if (document == null) {
                writer.nullValue();
            } else {
                new YamlToJson(writer).write(document, 0);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("a StringWriter does not fail", e);
        }
        return out.toString();
    }

    private void write(Node node, int depth) throws IOException, InvalidYaml {
        if (++values > MAX_VALUES) {
            throw new InvalidYaml("more than " + MAX_VALUES + " values, aliases expanded" + at(node.getStartMark()));
        }
        if (depth > MAX_DEPTH) {
            throw new InvalidYaml("nested deeper than " + MAX_DEPTH + ", aliases expanded" + at(node.getStartMark()));
        }
        switch (node) {
            case ScalarNode scalar -> scalar(scalar);
            case SequenceNode sequence -> {
                json.beginArray();
                for (Node item : sequence.getValue()) {
                    write(item, depth + 1);
                }
                json.endArray();
            }
            case MappingNode mapping -> {
                Map<String, Node> fields = new LinkedHashMap<>();
                for (NodeTuple field : mapping.getValue()) {
                    if (!(field.getKeyNode() instanceof ScalarNode key)) {
                        throw new InvalidYaml("a key must be a scalar, not a " + field.getKeyNode().getNodeId()
                                + at(field.getKeyNode().getStartMark()));
                    }
                    fields.put(key.getValue(), field.getValueNode());
                }
                json.beginObject();
                for (Map.Entry<String, Node> field : fields.entrySet()) {
                    json.name(field.getKey());
                    write(field.getValue(), depth + 1);
                }
                json.endObject();
            }
            default -> throw new IllegalStateException("SnakeYAML composed a " + node.getNodeId());
        }
    }

    private void scalar(ScalarNode scalar) throws IOException, InvalidYaml {
        String text = scalar.getValue();
        Tag tag = scalar.getTag();
        Pattern form = CORE_TYPES.get(tag);
        if (form == null) {
            json.value(text);
            return;
        }
        if (!form.matcher(text).matches()) {
            throw new InvalidYaml("'" + text + "' is not a " + tag + at(scalar.getStartMark()));
        }
        if (tag.equals(Tag.NULL)) {
            json.nullValue();
        } else if (tag.equals(Tag.BOOL)) {
            json.value(text.charAt(0) == 't' || text.charAt(0) == 'T');
        } else if (tag.equals(Tag.INT)) {
            json.value(text.startsWith("0o") ? new BigInteger(text.substring(2), 8)
                    : text.startsWith("0x") ? new BigInteger(text.substring(2), 16) : new BigInteger(text));
        } else if (text.endsWith("nan") || text.endsWith("NaN") || text.endsWith("NAN")) {
            json.value("NaN");
        } else if (text.endsWith("inf") || text.endsWith("Inf") || text.endsWith("INF")) {
            json.value(text.startsWith("-") ? "-Infinity" : "Infinity");
        } else {
            json.value(new BigDecimal(text));
        }
    }

    private static String at(Mark mark) {
        return mark == null ? "" : " at line " + (mark.getLine() + 1);
    }

    /** YAML 1.2's core schema: which tag a plain scalar resolves to. (Resolver's own BOOL, INT, ... are YAML 1.1's.) */
    private static final class CoreSchema extends Resolver {
        @Override
        protected void addImplicitResolvers() {
            addImplicitResolver(Tag.BOOL, CORE_BOOL, "tTfF");
            // Before floats, whose pattern takes integers too.
            addImplicitResolver(Tag.INT, CORE_INT, "-+0123456789");
            addImplicitResolver(Tag.FLOAT, CORE_FLOAT, "-+.0123456789");
            // '\0' is where SnakeYAML looks up the empty scalar.
            addImplicitResolver(Tag.NULL, CORE_NULL, "nN~\0");
        }
    }

    /** Text that is not YAML, or that this reader refuses (over a limit, a key that is not a scalar). */
    public static final class InvalidYaml extends Exception {
        InvalidYaml(String message) {
            super(message);
        }
    }
}
