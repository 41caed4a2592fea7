package dev.weft.model.load;

import dev.weft.model.ConfigError;
import dev.weft.model.Severity;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Splits a YAML (or JSON) stream into position-carrying node trees, without constructing any objects.
 * Composing keeps aliases as shared nodes, so expansion cost is paid (and bounded) by the binder.
 */
final class YamlDocuments {

  /** The documents read before the first problem, and the problem if any. */
  record Parsed(List<Node> documents, List<ConfigError> errors) {}

  private YamlDocuments() {}

  static Parsed parse(String source, String text, LoadLimits limits) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(true); // reported with both lines by the binder instead
    options.setMaxAliasesForCollections(limits.maxAliases());
    options.setNestingDepthLimit(limits.maxNestingDepth());
    options.setCodePointLimit((int) Math.min(Integer.MAX_VALUE, limits.maxFileBytes()));
    options.setAllowRecursiveKeys(false);
    ParserImpl parser = new ParserImpl(new StreamReader(new StringReader(text)), options);
    Composer composer = new Composer(parser, new Resolver(), options);
    List<Node> documents = new ArrayList<>();
    List<ConfigError> errors = new ArrayList<>();
    try {
      while (composer.checkNode()) {
        if (documents.size() >= limits.maxDocumentsPerFile()) {
          errors.add(error(source, lineOfNext(parser), "too many documents: the limit is "
              + limits.maxDocumentsPerFile() + " per file"));
          break;
        }
        documents.add(composer.getNode());
      }
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      int line = mark == null ? lineOfNext(parser) : mark.getLine() + 1;
      errors.add(error(source, line, "malformed YAML: " + describe(e)));
    } catch (YAMLException e) {
      errors.add(error(source, lineOfNext(parser), "rejected YAML: " + e.getMessage()));
    }
    return new Parsed(documents, errors);
  }

  private static String describe(MarkedYAMLException e) {
    String context = e.getContext() == null ? "" : e.getContext() + ", ";
    String problem = e.getProblem() == null ? "" : e.getProblem();
    Mark mark = e.getProblemMark();
    String column = mark == null ? "" : " (column " + (mark.getColumn() + 1) + ")";
    return (context + problem).strip() + column;
  }

  /** Best line for an error SnakeYAML reports without a mark: where the parser stopped. */
  private static int lineOfNext(ParserImpl parser) {
    try {
      Event next = parser.peekEvent();
      return next == null ? 1 : next.getStartMark().getLine() + 1;
    } catch (YAMLException e) {
      return 1;
    }
  }

  private static ConfigError error(String source, int line, String message) {
    return new ConfigError(Severity.ERROR, source, line, "", "", message);
  }
}
