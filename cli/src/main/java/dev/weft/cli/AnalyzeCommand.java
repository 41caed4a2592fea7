package dev.weft.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.weft.cli.local.LocalMesh;
import dev.weft.cli.local.TextFiles;
import dev.weft.cli.local.WorkloadFile;
import dev.weft.controlplane.config.AppliedConfigFile;
import dev.weft.controlplane.debug.MeshAnalysis;
import dev.weft.kube.KubeSource;
import dev.weft.model.ConfigError;
import dev.weft.model.Resource;
import dev.weft.model.analysis.Analysis;
import dev.weft.model.analysis.Analyzer;
import dev.weft.model.analysis.Level;
import dev.weft.model.analysis.Message;
import dev.weft.model.load.ConfigLoader;
import dev.weft.model.load.LoadOptions;
import dev.weft.model.load.LoadResult;
import dev.weft.model.load.MeshConfigLoader;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code weft analyze}: istioctl analyze. Without files it analyzes the running local mesh (weftd's config and the
 * sidecars that registered), or with {@code --kubeconfig}/{@code --context} a cluster's, as istioctl analyzes the live
 * cluster; with files, it analyzes them laid over the running mesh or the cluster when there is one, or alone
 * ({@code --files-only}, or no mesh).
 */
@Command(
    name = "analyze",
    mixinStandardHelpOptions = true,
    description = {
        "Validate Istio configuration and check it across resources, with Istio's message codes.",
        "Without files, analyzes the running local mesh (or the cluster of --kubeconfig/--context); with files,"
            + " analyzes them together with that config (or alone with --files-only, or when no mesh runs).",
        "Exit status: 0 clean, 1 a message at or over --fail-threshold or weftd did not answer, 2 usage error."})
final class AnalyzeCommand implements Callable<Integer> {

  /** How long listing a cluster's config may take. */
  private static final Duration CLUSTER_READ_TIMEOUT = Duration.ofSeconds(30);

  /** Output formats; {@code log} is istioctl's name for text. */
  enum Format { text, log, json, yaml }

  @Spec CommandSpec spec;
  @Mixin StateDirOption state;
  @Mixin ClusterOptions cluster;

  @Option(names = {"-f", "--filename"}, paramLabel = "FILE|DIR",
      description = "A YAML or JSON file, or a directory of them (its own files, as weft up reads it; with -R also its"
          + " subdirectories'). Repeatable.")
  List<Path> filenames = new ArrayList<>();

  @Parameters(paramLabel = "FILE|DIR", arity = "0..*", description = "More files or directories.")
  List<Path> positional = new ArrayList<>();

  @Option(names = {"-R", "--recursive"}, description = "Read the subdirectories of the directories given too.")
  boolean recursive;

  @Option(names = "--files-only", description = "Analyze only the files given, not the running mesh.")
  boolean filesOnly;

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
      description = "Cluster domain used to expand short host names of files analyzed alone (default:"
          + " ${DEFAULT-VALUE}); the running mesh uses its own.")
  String domainSuffix;

  static final class LevelConverter implements picocli.CommandLine.ITypeConverter<Level> {
    @Override
    public Level convert(String value) {
      return Level.parse(value);
    }
  }

  /** What was analyzed: the findings, and how many resources of each namespace were analyzed. */
  private record Findings(List<Message> messages, Map<String, Integer> resourcesByNamespace) {}

  @Override
  public Integer call() throws JsonProcessingException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (listAnalyzers) {
      Analysis.analyzers().stream().map(Analyzer::name).sorted().forEach(out::println);
      return 0;
    }
    List<Path> paths = new ArrayList<>(filenames);
    paths.addAll(positional);
    for (Path path : paths) {
      if (!Files.exists(path)) {
        throw new ParameterException(spec.commandLine(), "no such file or directory: " + path);
      }
    }
    boolean onCluster = cluster.named() && !filesOnly;
    Optional<URI> mesh = filesOnly || onCluster ? Optional.empty() : state.weftd(null);
    if (paths.isEmpty() && mesh.isEmpty() && !onCluster) {
      throw new ParameterException(spec.commandLine(), "no input: give files or directories with -f, or start a mesh"
          + " with weft up to analyze it (none runs in " + state.store().directory() + ")");
    }
    List<Path> inputs = inputFiles(paths);
    List<Path> meshConfigs = inputs.stream().filter(MeshConfigLoader::isMeshConfig).toList();
    List<Path> configFiles = inputs.stream().filter(p -> !meshConfigs.contains(p)).toList();
    Findings findings;
    if (onCluster || mesh.isPresent()) {
      Optional<Findings> fromMesh = onCluster ? analyzeWithCluster(configFiles, meshConfigs, err)
          : analyzeWithMesh(mesh.get(), configFiles, meshConfigs, err);
      if (fromMesh.isEmpty()) {
        return 1;
      }
      findings = fromMesh.get();
    } else {
      LoadResult load = withMeshConfigFindings(new ConfigLoader(LoadOptions.defaults()
          .withDefaultNamespace(namespace).withDomainSuffix(domainSuffix)).load(configFiles), meshConfigs);
      findings = new Findings(Analysis.analyze(load, domainSuffix, credentials(paths), Analysis.analyzers()),
          countByNamespace(load.resources()));
    }
    List<Message> messages = findings.messages().stream().filter(this::reported).toList();
    List<Message> shown = messages.stream().filter(m -> m.level().isAtLeast(outputThreshold)).toList();
    Optional<String> unreported = unreportedNote(findings);
    switch (output) {
      case text, log -> printText(out, shown, unreported);
      case json -> out.println(mapper(null).writeValueAsString(asMaps(shown)));
      case yaml -> out.print(mapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER))
          .writeValueAsString(asMaps(shown)));
    }
    if (output == Format.json || output == Format.yaml) {
      unreported.ifPresent(err::println);
    }
    out.flush();
    return messages.stream().anyMatch(m -> m.level().isAtLeast(failThreshold)) ? 1 : 0;
  }

  private boolean reported(Message message) {
    return allNamespaces || message.namespace().isEmpty() || message.namespace().equals(namespace);
  }

  /**
   * The files given and those of the directories given: a directory's own config files, as {@code weft up} reads a
   * mesh directory, and with {@code -R} its subdirectories' too; {@code weft-workloads.yaml}, weft's own, never.
   */
  private List<Path> inputFiles(List<Path> paths) {
    List<Path> found = new ArrayList<>();
    for (Path path : paths) {
      if (!Files.isDirectory(path)) {
        found.add(path);
        continue;
      }
      try (Stream<Path> files = recursive ? Files.walk(path) : Files.list(path)) {
        files.filter(Files::isRegularFile).filter(AnalyzeCommand::isConfigFile).sorted().forEach(found::add);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
      }
    }
    return found.stream().filter(p -> !p.getFileName().toString().equals(WorkloadFile.FILE_NAME)).toList();
  }

  /**
   * The TLS credentials the mesh directories given would serve: each one's {@code credentials/<name>/}, which
   * {@code weft up} hands to weftd.
   */
  private static Set<String> credentials(List<Path> paths) {
    Set<String> names = new TreeSet<>();
    for (Path path : paths) {
      Path credentials = path.resolve(LocalMesh.CREDENTIALS);
      if (!Files.isDirectory(path) || !Files.isDirectory(credentials)) {
        continue;
      }
      try (Stream<Path> entries = Files.list(credentials)) {
        entries.filter(Files::isDirectory).forEach(d -> names.add(d.getFileName().toString()));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + credentials + ": " + e.getMessage(), e);
      }
    }
    return names;
  }

  private static boolean isConfigFile(Path path) {
    String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
  }

  /** The files laid over the running mesh, analyzed by its weftd; empty, having said why, when it did not answer. */
  private Optional<Findings> analyzeWithMesh(URI weftd, List<Path> configFiles, List<Path> meshConfigs,
      PrintWriter err) {
    Optional<List<WeftdApi.NamedFile>> files = read(configFiles, err);
    if (files.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(withMeshConfigs(new WeftdApi(weftd, state.store().apiToken()).analyze(files.get(),
          namespace), meshConfigs));
    } catch (IOException e) {
      err.println("weft: the running mesh's weftd at " + weftd + " did not analyze: " + e.getMessage()
          + "; analyze the files alone with --files-only");
      return Optional.empty();
    }
  }

  /**
   * As istioctl analyzes the live cluster: its Istio resources, Services and pods, read as weftd reads them (and
   * writing nothing), with the files laid over them, through the same analysis weftd's {@code /debug/analyze} runs.
   */
  private Optional<Findings> analyzeWithCluster(List<Path> configFiles, List<Path> meshConfigs, PrintWriter err) {
    Optional<List<WeftdApi.NamedFile>> files = read(configFiles, err);
    if (files.isEmpty()) {
      return Optional.empty();
    }
    try (KubernetesClient client = cluster.client();
        KubeSource kube = KubeSource.reading(client, new ConfigLoader(), CLUSTER_READ_TIMEOUT)) {
      MeshAnalysis analysis = new MeshAnalysis(kube.config(), kube.workloads()::workloads,
          () -> kube.credentials().credentials().byName().keySet(), domainSuffix);
      List<AppliedConfigFile.Body> bodies = files.get().stream()
          .map(f -> new AppliedConfigFile.Body(f.name(), f.content())).toList();
      return Optional.of(withMeshConfigs(WeftdApi.analyzed(analysis.analyze(bodies, namespace)), meshConfigs));
    } catch (IllegalArgumentException e) {
      err.println("weft: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      err.println(cluster.failure(e));
    }
    return Optional.empty();
  }

  /** The files' text, each named as given; empty, having said which could not be read. */
  private static Optional<List<WeftdApi.NamedFile>> read(List<Path> configFiles, PrintWriter err) {
    List<WeftdApi.NamedFile> files = new ArrayList<>();
    for (Path file : configFiles) {
      try {
        files.add(new WeftdApi.NamedFile(file.toString(), TextFiles.readUtf8(file)));
      } catch (IOException e) {
        err.println("weft: cannot read " + file + ": " + e.getMessage());
        return Optional.empty();
      }
    }
    return Optional.of(files);
  }

  /** The analysis with the mesh config files' findings, which are reported like any schema finding. */
  private Findings withMeshConfigs(WeftdApi.Analyzed analyzed, List<Path> meshConfigs) {
    List<Message> messages = new ArrayList<>(analyzed.messages());
    messages.addAll(Analysis.analyze(withMeshConfigFindings(new LoadResult(List.of(), List.of(), List.of()),
        meshConfigs), domainSuffix, List.of()));
    return new Findings(messages, analyzed.resourcesByNamespace());
  }

  private static Map<String, Integer> countByNamespace(List<Resource<?>> resources) {
    Map<String, Integer> counts = new TreeMap<>();
    resources.stream().filter(r -> r.kind().isNamespaced()).forEach(r -> counts.merge(r.namespace(), 1, Integer::sum));
    return counts;
  }

  /**
   * When every analyzed resource is in another namespace than the one reported on, a clean report would say nothing
   * true: this says where they are and how to see them.
   */
  private Optional<String> unreportedNote(Findings findings) {
    Map<String, Integer> counts = findings.resourcesByNamespace();
    if (allNamespaces || counts.isEmpty() || counts.containsKey(namespace)) {
      return Optional.empty();
    }
    int resources = counts.values().stream().mapToInt(Integer::intValue).sum();
    long hidden = findings.messages().stream().filter(m -> !reported(m)).count();
    String where = counts.size() == 1 ? "namespace " + counts.keySet().iterator().next()
        : "namespaces " + String.join(", ", counts.keySet());
    String use = counts.size() == 1 ? "-A or -n " + counts.keySet().iterator().next() : "-A or -n NAMESPACE";
    return Optional.of(resources + (resources == 1 ? " resource in " + where + " was" : " resources in " + where
        + " were") + " not reported" + (hidden == 0 ? "" : hidden == 1 ? ", with 1 message" : ", with " + hidden
        + " messages") + "; use " + use);
  }

  private void printText(PrintWriter out, List<Message> shown, Optional<String> unreported) {
    if (shown.isEmpty() && unreported.isPresent()) {
      out.println(unreported.get());
      return;
    }
    if (shown.isEmpty()) {
      out.println(allNamespaces
          ? "\u2714 No validation issues found when analyzing all namespaces."
          : "\u2714 No validation issues found when analyzing namespace: " + namespace + ".");
      return;
    }
    shown.forEach(out::println);
    unreported.ifPresent(out::println);
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
