package dev.weft.model.load;

import dev.weft.model.ConfigError;
import dev.weft.model.Severity;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
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
 * Splits a YAML (or JSON) stream into position-carrying node trees, without constructing any objects, and hands
 * them over one at a time, so only one document's nodes are alive at once. Composing keeps aliases as shared nodes,
 * so expansion cost is paid (and bounded) by the binder.
 */
final class YamlDocuments {

  /** SnakeYAML's message when a document passes the code point limit (it carries no position). */
  private static final String DOCUMENT_TOO_LARGE = "The incoming YAML document exceeds the limit";

  private YamlDocuments() {}

  /**
   * Hands each document of the stream to {@code each}, in order, until the end or the first problem.
   *
   * @return the problem, if any
   */
  static List<ConfigError> parse(String source, String text, LoadLimits limits, Consumer<Node> each) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(true); // reported with both lines by the binder instead
    options.setMaxAliasesForCollections(limits.maxAliases());
    options.setNestingDepthLimit(limits.maxNestingDepth());
    options.setCodePointLimit(limits.maxDocumentChars()); // per document: SnakeYAML restarts the count at each
    options.setAllowRecursiveKeys(false);
    ParserImpl parser = new ParserImpl(new StreamReader(new StringReader(text)), options);
    Composer composer = new Composer(parser, new Resolver(), options);
    List<ConfigError> errors = new ArrayList<>();
    int documents = 0;
    int nextLine = 1;
    try {
      while (composer.checkNode()) {
        if (documents >= limits.maxDocumentsPerFile()) {
          errors.add(error(source, lineOfNext(parser), "too many documents: the limit is "
              + limits.maxDocumentsPerFile() + " in one file or apply"));
          break;
        }
        Node document = composer.getNode();
        documents++;
        nextLine = document.getEndMark() == null ? nextLine : document.getEndMark().getLine() + 1;
        each.accept(document);
      }
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      int line = mark == null ? lineOfNext(parser) : mark.getLine() + 1;
      errors.add(error(source, line, "malformed YAML: " + describe(e)));
    } catch (YAMLException e) {
      errors.add(String.valueOf(e.getMessage()).startsWith(DOCUMENT_TOO_LARGE)
          ? error(source, nextLine, "document too large: more than " + limits.maxDocumentChars()
              + " characters (Kubernetes keeps objects of at most 1.5 MiB)")
          : error(source, lineOfNext(parser), "rejected YAML: " + e.getMessage()));
    }
    return errors;
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
