package dev.weft.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.weft.model.ConfigError;
import dev.weft.model.analysis.Analysis;
import dev.weft.model.analysis.Analyzer;
import dev.weft.model.analysis.Level;
import dev.weft.model.analysis.Message;
import dev.weft.model.load.ConfigLoader;
import dev.weft.model.load.LoadOptions;
import dev.weft.model.load.LoadResult;
import dev.weft.model.load.MeshConfigLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code weft analyze}: istioctl analyze over files and directories, before anything runs. */
@Command(
    name = "analyze",
    mixinStandardHelpOptions = true,
    description = {
        "Validate Istio configuration and check it across resources, with Istio's message codes.",
        "Exit status: 0 clean, 1 a message at or over --fail-threshold, 2 usage error."})
final class AnalyzeCommand implements Callable<Integer> {

  /** Output formats; {@code log} is istioctl's name for text. */
  enum Format { text, log, json, yaml }

  @Spec CommandSpec spec;

  @Option(names = {"-f", "--filename"}, paramLabel = "FILE|DIR",
      description = "A YAML or JSON file, or a directory of them (recursive). Repeatable.")
  List<Path> filenames = new ArrayList<>();

  @Parameters(paramLabel = "FILE|DIR", arity = "0..*", description = "More files or directories.")
  List<Path> positional = new ArrayList<>();

  @Option(names = {"-A", "--all-namespaces"}, description = "Report on every namespace.")
  boolean allNamespaces;

  @Option(names = {"-n", "--namespace"}, paramLabel = "NS", defaultValue = "default",
      description = "Namespace of resources that name none, and the one reported on (default: ${DEFAULT-VALUE}).")
  String namespace;

  @Option(names = {"-o", "--output"}, defaultValue = "text",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Format output;

  @Option(names = "--fail-threshold", paramLabel = "LEVEL", defaultValue = "Error",
      converter = LevelConverter.class,
      description = "Lowest level that makes the exit status 1: Error, Warning or Info (default: ${DEFAULT-VALUE}).")
  Level failThreshold;

  @Option(names = "--output-threshold", paramLabel = "LEVEL", defaultValue = "Info",
      converter = LevelConverter.class,
      description = "Lowest level that is printed: Error, Warning or Info (default: ${DEFAULT-VALUE}).")
  Level outputThreshold;

  @Option(names = {"-L", "--list-analyzers"}, description = "List the analyzers and exit.")
  boolean listAnalyzers;

  @Option(names = "--domain-suffix", paramLabel = "SUFFIX", defaultValue = "cluster.local",
      description = "Cluster domain used to expand short host names (default: ${DEFAULT-VALUE}).")
  String domainSuffix;

  static final class LevelConverter implements picocli.CommandLine.ITypeConverter<Level> {
    @Override
    public Level convert(String value) {
      return Level.parse(value);
    }
  }

  @Override
  public Integer call() throws JsonProcessingException {
    PrintWriter out = spec.commandLine().getOut();
    if (listAnalyzers) {
      Analysis.analyzers().stream().map(Analyzer::name).sorted().forEach(out::println);
      return 0;
    }
    List<Path> paths = new ArrayList<>(filenames);
    paths.addAll(positional);
    if (paths.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "no input: give files or directories with -f");
    }
    for (Path path : paths) {
      if (!Files.exists(path)) {
        throw new ParameterException(spec.commandLine(), "no such file or directory: " + path);
      }
    }
    List<Path> meshConfigs = meshConfigs(paths);
    LoadResult load = withMeshConfigFindings(new ConfigLoader(LoadOptions.defaults().withDefaultNamespace(namespace)
        .withDomainSuffix(domainSuffix)).load(paths.stream().filter(p -> !meshConfigs.contains(p)).toList()),
        meshConfigs);
    List<Message> messages = Analysis.analyze(load, domainSuffix).stream()
        .filter(m -> allNamespaces || m.namespace().isEmpty() || m.namespace().equals(namespace))
        .toList();
    List<Message> shown = messages.stream().filter(m -> m.level().isAtLeast(outputThreshold)).toList();
    switch (output) {
      case text, log -> printText(out, shown);
      case json -> out.println(mapper(null).writeValueAsString(asMaps(shown)));
      case yaml -> out.print(mapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER))
          .writeValueAsString(asMaps(shown)));
    }
    out.flush();
    return messages.stream().anyMatch(m -> m.level().isAtLeast(failThreshold)) ? 1 : 0;
  }

  private void printText(PrintWriter out, List<Message> shown) {
    if (shown.isEmpty()) {
      out.println(allNamespaces
          ? "\u2714 No validation issues found when analyzing all namespaces."
          : "\u2714 No validation issues found when analyzing namespace: " + namespace + ".");
      return;
    }
    shown.forEach(out::println);
  }

  /** The mesh configs among the inputs: files named meshconfig.yaml, given or in a given directory (mesh directories). */
  private static List<Path> meshConfigs(List<Path> paths) {
    List<Path> found = new ArrayList<>();
    for (Path path : paths) {
      if (Files.isDirectory(path)) {
        try (Stream<Path> files = Files.walk(path)) {
          files.filter(MeshConfigLoader::isMeshConfig).sorted().forEach(found::add);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
      } else if (MeshConfigLoader.isMeshConfig(path)) {
        found.add(path);
      }
    }
    return found;
  }

  /** The load's findings and the mesh configs', which are reported like any schema finding. */
  private static LoadResult withMeshConfigFindings(LoadResult load, List<Path> meshConfigs) {
    List<ConfigError> findings = new ArrayList<>(load.errors());
    MeshConfigLoader loader = new MeshConfigLoader();
    meshConfigs.forEach(file -> findings.addAll(loader.load(file).findings()));
    return new LoadResult(load.resources(), load.accepted(), findings);
  }

  private static ObjectMapper mapper(YAMLFactory yaml) {
    ObjectMapper mapper = yaml == null ? new ObjectMapper() : new ObjectMapper(yaml);
    return mapper.enable(SerializationFeature.INDENT_OUTPUT);
  }

  private static List<Map<String, Object>> asMaps(List<Message> messages) {
    return messages.stream().map(m -> {
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("code", m.type().code());
      map.put("level", m.level().displayName());
      map.put("type", m.type().displayName());
      map.put("origin", m.resource());
      map.put("file", m.file());
      map.put("line", m.line());
      map.put("message", m.text());
      return map;
    }).toList();
  }
}
