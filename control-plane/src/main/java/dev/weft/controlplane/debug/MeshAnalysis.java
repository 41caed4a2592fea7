package dev.weft.controlplane.debug;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.controlplane.config.AppliedConfigFile.Body;
import dev.weft.controlplane.config.ConfigStore;
import dev.weft.model.ConfigError;
import dev.weft.model.Kind;
import dev.weft.model.ObjectMeta;
import dev.weft.model.Origin;
import dev.weft.model.Resource;
import dev.weft.model.ResourceKey;
import dev.weft.model.analysis.Analysis;
import dev.weft.model.analysis.Message;
import dev.weft.model.kube.PodSpec;
import dev.weft.model.load.ConfigLoader;
import dev.weft.model.load.LoadOptions;
import dev.weft.model.load.LoadResult;
import dev.weft.xds.mesh.WorkloadInstance;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * {@code istioctl analyze} of the running mesh ({@code GET|POST /debug/analyze}): the config in force and the
 * sidecars that registered (as Pods, which selectors match), with the files a caller sends laid over it as a dry run
 * (a file's resource replaces the one in force of the same kind, namespace and name), so checking a file before
 * {@code weft apply} sees the hosts and workloads the mesh has. Nothing is changed.
 */
public final class MeshAnalysis {

    /** Where the registered sidecars' Pods say they come from. */
    static final String REGISTRY_ORIGIN = "<registry>";

    private final ObjectMapper json = new ObjectMapper();
    private final ConfigStore config;
    private final Supplier<List<WorkloadInstance>> registered;
    private final Supplier<Set<String>> credentials;
    private final String domainSuffix;

    /**
     * @param registered the workloads whose sidecars registered
     * @param credentials the keys of the TLS credentials weftd serves from outside its config ({@code Credentials})
     * @param domainSuffix the mesh's, which short host names are expanded with
     */
    public MeshAnalysis(ConfigStore config, Supplier<List<WorkloadInstance>> registered,
            Supplier<Set<String>> credentials, String domainSuffix) {
        this.config = config;
        this.registered = registered;
        this.credentials = credentials;
        this.domainSuffix = domainSuffix;
    }

    /**
     * The findings, as {@code {"messages": [...], "resources": {"<namespace>": count}}}; the counts are of the files'
     * resources, or of the whole mesh's when no file was sent.
     *
     * @param defaultNamespace the namespace of the files' resources that name none
     */
    public ObjectNode analyze(List<Body> files, String defaultNamespace) {
        ConfigLoader loader = new ConfigLoader(LoadOptions.defaults().withDefaultNamespace(defaultNamespace)
                .withDomainSuffix(domainSuffix));
        List<Resource<?>> sent = new ArrayList<>();
        List<ConfigError> errors = new ArrayList<>();
        for (Body file : files) {
            LoadResult load = loader.loadString(file.yaml(), file.source());
            sent.addAll(load.resources());
            errors.addAll(load.errors());
        }
        // As istioctl on a live cluster: what the mesh holds but rejected is reported too, unless a file replaces it.
        Set<String> replaced = new HashSet<>();
        sent.forEach(r -> replaced.add(r.displayName()));
        config.errors().stream().filter(e -> !replaced.contains(e.resource())).forEach(errors::add);
        Map<ResourceKey, Resource<?>> merged = new LinkedHashMap<>();
        config.snapshot().all().forEach(r -> merged.put(ResourceKey.of(r), r));
        registered.get().forEach(w -> merged.putIfAbsent(new ResourceKey(Kind.POD, w.namespace(), w.name()), pod(w)));
        sent.forEach(r -> merged.put(ResourceKey.of(r), r));
        List<Resource<?>> all = List.copyOf(merged.values());
        List<Message> messages = Analysis.analyze(new LoadResult(all, all, errors), domainSuffix, credentials.get(),
                Analysis.analyzers());

        ObjectNode out = json.createObjectNode();
        ArrayNode list = out.putArray("messages");
        for (Message m : messages) {
            list.addObject().put("code", m.type().code()).put("level", m.level().displayName())
                    .put("resource", m.resource()).put("namespace", m.namespace()).put("file", m.file())
                    .put("line", m.line()).put("text", m.text());
        }
        Map<String, Integer> counts = new TreeMap<>();
        (files.isEmpty() ? all : sent).stream().filter(r -> r.kind().isNamespaced())
                .forEach(r -> counts.merge(r.namespace(), 1, Integer::sum));
        ObjectNode resources = out.putObject("resources");
        counts.forEach(resources::put);
        return out;
    }

    /** A registered sidecar as the Pod it stands for: its name, namespace and labels. */
    private static Resource<PodSpec> pod(WorkloadInstance workload) {
        return new Resource<>(Kind.POD, "v1", new ObjectMeta(workload.name(), workload.namespace(), workload.labels(),
                Map.of(), null), new PodSpec(workload.serviceAccount(), "", List.of(), List.of()),
                Origin.synthetic(REGISTRY_ORIGIN));
    }
}
