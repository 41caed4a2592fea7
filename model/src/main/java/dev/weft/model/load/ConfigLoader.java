package dev.weft.model.load;

import dev.weft.model.ConfigError;
import dev.weft.model.Resource;
import dev.weft.model.ResourceKey;
import dev.weft.model.Severity;
import dev.weft.model.validation.ConfigValidator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Loads Istio and Kubernetes configuration from files, directories (recursively, {@code *.yaml},
 * {@code *.yml}, {@code *.json}, sorted) and strings; binds, normalises and validates every document.
 * A {@code kind: List} document is read as its items. Never throws for bad input: every problem becomes a
 * {@link ConfigError}. Stateless apart from its options, so one loader may be shared between threads.
 */
public final class ConfigLoader {
  private static final int MAX_DIRECTORY_DEPTH = 32;

  private final LoadOptions options;
  private final DocumentBinder binder;
  private final ConfigValidator validator;

  public ConfigLoader(LoadOptions options) {
    this.options = options;
    this.binder = new DocumentBinder(options);
    this.validator = new ConfigValidator();
  }

  public ConfigLoader() {
    this(LoadOptions.defaults());
  }

  /** Loads files and directories, in the order given; each directory's files sorted by path. */
  public LoadResult load(List<Path> paths) {
    Accumulator all = new Accumulator();
    for (Path path : paths) {
      if (Files.isDirectory(path)) {
        loadDirectory(path, all);
      } else {
        loadFile(path, all);
      }
    }
    return all.result();
  }

  public LoadResult load(Path... paths) {
    return load(List.of(paths));
  }

  /** Loads a YAML or JSON stream given as text; {@code sourceName} labels its messages. */
  public LoadResult loadString(String content, String sourceName) {
    Accumulator all = new Accumulator();
    if (content.length() > options.limits().maxFileBytes()) {
      all.addError(tooLarge(sourceName, content.length()));
    } else {
      loadText(sourceName, content, all);
    }
    return all.result();
  }

  /**
   * The kind, namespace and name of each document in a YAML or JSON stream, without binding or validating the
   * bodies: what {@code kubectl delete -f} reads, so deleting with the file that applied a large resource is cheap.
   */
  public LoadedKeys loadKeys(String content, String sourceName) {
    if (content.length() > options.limits().maxFileBytes()) {
      return new LoadedKeys(List.of(), List.of(tooLarge(sourceName, content.length())));
    }
    List<ResourceKey> keys = new ArrayList<>();
    Accumulator all = new Accumulator();
    List<String> lines = new SourceLines(content);
    List<ConfigError> streamErrors = YamlDocuments.parse(sourceName, asYaml(sourceName, content), options.limits(),
        document -> listItems(document).filter(item -> !Binder.isNull(item)).forEach(item -> {
          DocumentBinder.Identified identified = binder.identify(sourceName, lines, item);
          identified.key().ifPresent(keys::add);
          all.addErrors(identified.errors());
        }));
    all.addErrors(streamErrors);
    return new LoadedKeys(keys, all.errors());
  }

  /**
   * Loads every config file under a directory separately, so a caller can reject one bad file and keep the
   * others (a watched config directory). Files in sorted order; an unreadable directory maps to its error.
   */
  public Map<Path, LoadResult> loadEachFile(Path directory) {
    Map<Path, LoadResult> results = new LinkedHashMap<>();
    Accumulator listing = new Accumulator();
    for (Path file : configFiles(directory, listing)) {
      Accumulator one = new Accumulator();
      loadFile(file, one);
      results.put(file, one.result());
    }
    if (!listing.errors.isEmpty()) {
      results.put(directory, listing.result());
    }
    return Collections.unmodifiableMap(results);
  }

  private void loadDirectory(Path directory, Accumulator all) {
    configFiles(directory, all).forEach(file -> loadFile(file, all));
  }

  private static List<Path> configFiles(Path directory, Accumulator all) {
    try (Stream<Path> walk = Files.walk(directory, MAX_DIRECTORY_DEPTH)) {
      return walk.filter(Files::isRegularFile)
          .filter(ConfigLoader::isConfigFile)
          .sorted(Comparator.comparing(Path::toString))
          .toList();
    } catch (IOException | UncheckedIOException e) {
      all.addError(fileError(directory.toString(), "cannot read directory: " + e.getMessage()));
      return List.of();
    }
  }

  /** YAML and JSON files, except a mesh directory's mesh config, which is no resource ({@link MeshConfigLoader}). */
  private static boolean isConfigFile(Path path) {
    String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
    return (name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json"))
        && !MeshConfigLoader.isMeshConfig(path);
  }

  private void loadFile(Path file, Accumulator all) {
    String source = file.toString();
    try {
      long size = Files.size(file);
      if (size > options.limits().maxFileBytes()) {
        all.addError(tooLarge(source, size));
        return;
      }
      byte[] bytes = Files.readAllBytes(file);
      String text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
      loadText(source, text, all);
    } catch (CharacterCodingException e) {
      all.addError(fileError(source, "file is not valid UTF-8"));
    } catch (IOException e) {
      all.addError(fileError(source, "cannot read file: " + e.getMessage()));
    }
  }

  private void loadText(String source, String text, Accumulator all) {
    List<String> lines = new SourceLines(text);
    List<ConfigError> streamErrors = YamlDocuments.parse(source, asYaml(source, text), options.limits(),
        document -> listItems(document).forEach(item -> loadDocument(source, lines, item, all)));
    all.addErrors(streamErrors);
  }

  private void loadDocument(String source, List<String> lines, Node document, Accumulator all) {
    if (Binder.isNull(document)) {
      return;
    }
    DocumentBinder.Bound bound = bindSafely(source, lines, document);
    List<ConfigError> errors = new ArrayList<>(bound.errors());
    bound.resource().ifPresent(resource -> {
      errors.addAll(validateSafely(resource));
      all.resources.add(resource);
      if (errors.stream().noneMatch(ConfigError::isError)) {
        all.accepted.add(resource);
      }
    });
    all.addErrors(errors);
  }

  /** A {@code kind: List} document (kubectl's output) stands for its items; any other for itself. */
  private static Stream<Node> listItems(Node document) {
    if (document instanceof MappingNode mapping) {
      Map<String, Node> top = new HashMap<>();
      mapping.getValue().forEach(tuple -> top.putIfAbsent(Binder.keyText(tuple.getKeyNode()), tuple.getValueNode()));
      if (top.get("kind") instanceof ScalarNode kind && kind.getValue().equals("List")
          && top.get("apiVersion") instanceof ScalarNode version && version.getValue().equals("v1")
          && top.get("items") instanceof SequenceNode items) {
        return items.getValue().stream();
      }
    }
    return Stream.of(document);
  }

  /**
   * JSON is read as YAML, which forbids tabs as whitespace. Valid JSON has no raw tab inside strings, so
   * tabs can become spaces without moving any position.
   */
  private static String asYaml(String source, String text) {
    return looksLikeJson(source, text) ? text.replace('\t', ' ') : text;
  }

  private static boolean looksLikeJson(String source, String text) {
    if (source.toLowerCase(Locale.ROOT).endsWith(".json")) {
      return true;
    }
    String start = text.stripLeading();
    return start.startsWith("{") || start.startsWith("[");
  }

  /** A bug in the binder or a validator must not escape as an exception: it rejects the document. */
  private DocumentBinder.Bound bindSafely(String source, List<String> lines, Node document) {
    try {
      return binder.bind(source, lines, document);
    } catch (RuntimeException e) {
      int line = document.getStartMark() == null ? 1 : document.getStartMark().getLine() + 1;
      return new DocumentBinder.Bound(Optional.empty(), List.of(new ConfigError(Severity.ERROR, source,
          line, "", "", "internal error while reading this document: " + e)));
    }
  }

  private List<ConfigError> validateSafely(Resource<?> resource) {
    try {
      return validator.validate(resource);
    } catch (RuntimeException e) {
      return List.of(new ConfigError(Severity.ERROR, resource.origin().file(), resource.origin().line(),
          resource.displayName(), "", "internal error while validating: " + e));
    }
  }

  private ConfigError tooLarge(String source, long size) {
    return fileError(source, "input too large: " + size + " bytes, the limit is "
        + options.limits().maxFileBytes() + " bytes");
  }

  private static ConfigError fileError(String source, String message) {
    return new ConfigError(Severity.ERROR, source, 1, "", "", message);
  }

  /** What one load collected; findings past {@link #MAX_ERRORS} are counted, not kept. */
  private static final class Accumulator {
    /** Each document stops after 100 problems, but 10,000 bad documents must not become a million findings. */
    static final int MAX_ERRORS = 1_000;

    final List<Resource<?>> resources = new ArrayList<>();
    final List<Resource<?>> accepted = new ArrayList<>();
    final List<ConfigError> errors = new ArrayList<>();
    private int dropped;
    private ConfigError worstDropped;

    void addError(ConfigError error) {
      if (errors.size() < MAX_ERRORS) {
        errors.add(error);
      } else if (dropped++ == 0 || (error.isError() && !worstDropped.isError())) {
        worstDropped = error;
      }
    }

    void addErrors(List<ConfigError> found) {
      found.forEach(this::addError);
    }

    /** The kept findings, and one saying how many more there were (an error if any of them was). */
    List<ConfigError> errors() {
      if (dropped == 0) {
        return errors;
      }
      List<ConfigError> all = new ArrayList<>(errors);
      all.add(new ConfigError(worstDropped.severity(), worstDropped.file(), worstDropped.line(), "", "",
          dropped + " more problems not shown (at most " + MAX_ERRORS + " are)"));
      return all;
    }

    LoadResult result() {
      return new LoadResult(resources, accepted, errors());
    }
  }
}
