package dev.weft.controlplane.debug;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Message;
import dev.weft.controlplane.ads.AdsServer;
import dev.weft.controlplane.ads.ProxyStatus;
import dev.weft.controlplane.ads.TypeStatus;
import dev.weft.controlplane.config.AppliedConfigFile.Body;
import dev.weft.controlplane.config.ApplyResult;
import dev.weft.controlplane.config.AppliedConfigStore;
import dev.weft.controlplane.config.ConfigStore;
import dev.weft.controlplane.metrics.WeftdMetrics;
import dev.weft.model.ConfigError;
import dev.weft.model.Resource;
import dev.weft.xds.XdsJson;
import dev.weft.xds.XdsResources;
import dev.weft.xds.mesh.ProxyNode;
import dev.weft.xds.push.PushContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The routes of weftd's HTTP API: {@code POST|DELETE /apply} (a YAML body or named files, guarded by
 * {@link MutationGuard}) and the debug endpoints {@code /debug/syncz}, {@code /debug/push_status}, {@code /debug/configz},
 * {@code /debug/analyze} ({@link MeshAnalysis}), {@code /debug/config_dump?proxyID=...}, {@code /ready} and {@code /metrics} (Prometheus text, istiod's names). Answers JSON; {@link ApiServer} carries it over HTTP.
 */
public final class DebugApi implements Function<ApiRequest, ApiResponse> {

    /** The content type of a change that names its files. */
    public static final String FILES_TYPE = "application/vnd.weft.files+json";

    private final ObjectMapper json = new ObjectMapper();
    private final AdsServer ads;
    private final ConfigStore config;
    private final AppliedConfigStore applied;
    private final Supplier<PushContext> push;
    private final BooleanSupplier pushSettled;
    private final MutationGuard guard;
    private final WeftdMetrics metrics;
    private final MeshAnalysis analysis;

    public DebugApi(AdsServer ads, ConfigStore config, AppliedConfigStore applied, Supplier<PushContext> push,
            BooleanSupplier pushSettled, MutationGuard guard, WeftdMetrics metrics, MeshAnalysis analysis) {
        this.analysis = analysis;
        this.metrics = metrics;
        this.ads = ads;
        this.config = config;
        this.applied = applied;
        this.push = push;
        this.pushSettled = pushSettled;
        this.guard = guard;
    }

    @Override
    public ApiResponse apply(ApiRequest request) {
        return switch (request.path()) {
            case "/apply" -> change(request);
            case "/debug/syncz" -> new ApiResponse(200, syncz());
            case "/debug/push_status" -> new ApiResponse(200, pushStatus());
            case "/debug/configz" -> new ApiResponse(200, configz());
            case "/debug/analyze" -> analyze(request);
            case "/debug/config_dump" -> configDump(request.queryParameter("proxyID"));
            case "/ready" -> new ApiResponse(200, json.createObjectNode().put("ready", true));
            case "/metrics" -> ApiResponse.text(200, WeftdMetrics.contentType(), metrics.scrape());
            default -> ApiResponse.error(404, "no such endpoint");
        };
    }

    private ApiResponse change(ApiRequest request) {
        String method = request.method();
        if (!method.equals("POST") && !method.equals("DELETE")) {
            return ApiResponse.error(405, "use POST to apply or DELETE to delete");
        }
        Optional<ApiResponse> refused = guard.refusal(request);
        if (refused.isPresent()) {
            return refused.get();
        }
        List<Body> files;
        try {
            files = files(request, method.equals("POST") ? "<apply>" : "<delete>");
        } catch (IOException e) {
            return ApiResponse.error(400, "not a list of files: " + e.getMessage());
        }
        ApplyResult result = method.equals("POST") ? applied.apply(files) : applied.delete(files);
        ObjectNode out = json.createObjectNode();
        ArrayNode changed = out.putArray("changed");
        result.changed().forEach(changed::add);
        ArrayNode outcomes = out.putArray("results");
        result.outcomes().forEach(o -> outcomes.addObject()
                .put("resource", o.resource()).put("result", o.action().word()).put("source", o.source()));
        ArrayNode errors = out.putArray("errors");
        result.errors().forEach(e -> errors.add(e.toString()));
        return new ApiResponse(result.accepted() ? 200 : 400, out);
    }

    /**
     * The files a change carries: a body of {@link #FILES_TYPE} names each file ({@code {"files": [{"name": "...",
     * "content": "..."}]}}, what {@code weft apply} sends, so messages point into the user's files); any other body
     * is one YAML stream, labelled {@code label}.
     */
    private List<Body> files(ApiRequest request, String label) throws IOException {
        if (!MutationGuard.mediaType(request).equals(FILES_TYPE)) {
            return List.of(new Body(label, request.body()));
        }
        JsonNode list = json.readTree(request.body()).path("files");
        if (!list.isArray()) {
            throw new IOException("expected {\"files\": [{\"name\": ..., \"content\": ...}]}");
        }
        List<Body> files = new ArrayList<>();
        for (JsonNode file : list) {
            if (!file.path("name").isTextual() || !file.path("content").isTextual()) {
                throw new IOException("every file needs a \"name\" and a \"content\" string");
            }
            files.add(new Body(file.get("name").asText(), file.get("content").asText()));
        }
        return files;
    }

    /**
     * {@code GET /debug/analyze} analyzes the running mesh; {@code POST} with files analyzes them laid over it, their
     * resources without a namespace in {@code ?namespace=} (default {@code default}). Changes nothing.
     */
    private ApiResponse analyze(ApiRequest request) {
        List<Body> files = List.of();
        if (request.method().equals("POST")) {
            try {
                files = files(request, "<analyze>");
            } catch (IOException e) {
                return ApiResponse.error(400, "not a list of files: " + e.getMessage());
            }
        } else if (!request.method().equals("GET")) {
            return ApiResponse.error(405, "use GET to analyze the mesh or POST to analyze files with it");
        }
        String namespace = request.queryParameter("namespace");
        return new ApiResponse(200, analysis.analyze(files, namespace.isEmpty() ? "default" : namespace));
    }

    /**
     * Whether the mesh has converged: no change waiting for a push ({@code pushPending}) and every connected proxy
     * ACKed what it was sent ({@code inSync} of {@code proxies}). Settledness is read first, so a push that starts
     * after it can only make the answer "pending" on the next read, never a false "converged" now.
     */
    private ObjectNode pushStatus() {
        boolean settled = pushSettled.getAsBoolean();
        List<ProxyStatus> statuses = ads.statuses();
        List<String> notInSync = statuses.stream().filter(s -> !s.inSync()).map(ProxyStatus::proxyId).toList();
        ObjectNode out = json.createObjectNode()
                .put("pushPending", !settled)
                .put("proxies", statuses.size())
                .put("inSync", statuses.size() - notInSync.size());
        notInSync.forEach(id -> out.withArray("notInSync").add(id));
        return out;
    }

    private ArrayNode syncz() {
        ArrayNode out = json.createArrayNode();
        for (ProxyStatus status : ads.statuses()) {
            ObjectNode proxy = out.addObject()
                    .put("proxyID", status.proxyId())
                    .put("namespace", status.namespace())
                    .put("stream", status.streamKind());
            ObjectNode types = proxy.putObject("types");
            for (var type : dev.weft.controlplane.ads.XdsType.values()) {
                // Every proxy asks for the four routing types; SDS only one whose config names secrets from weftd.
                if (type == dev.weft.controlplane.ads.XdsType.SECRET
                        && status.types().stream().noneMatch(t -> t.type() == type)) {
                    continue;
                }
                TypeStatus t = status.type(type);
                types.putObject(type.shortName())
                        .put("status", t.status().name())
                        .put("sent", t.sentVersion())
                        .put("acked", t.ackedVersion())
                        .put("nack", t.nackError());
            }
        }
        return out;
    }

    private ObjectNode configz() {
        ObjectNode out = json.createObjectNode();
        ArrayNode resources = out.putArray("resources");
        for (Resource<?> resource : config.snapshot().all()) {
            resources.addObject()
                    .put("kind", resource.kind().kindName())
                    .put("namespace", resource.namespace())
                    .put("name", resource.name())
                    .put("source", resource.origin().toString());
        }
        ArrayNode errors = out.putArray("errors");
        for (ConfigError error : config.errors()) {
            errors.add(error.toString());
        }
        return out;
    }

    private ApiResponse configDump(String proxyId) {
        Optional<ProxyNode> proxy = proxyId.isEmpty() ? Optional.empty() : ads.connectedProxy(proxyId);
        if (proxy.isEmpty()) {
            return ApiResponse.error(404, "no connected proxy \"" + proxyId + "\"");
        }
        PushContext context = push.get();
        ObjectNode out = json.createObjectNode().put("proxyID", proxy.get().nodeId());
        dump(out.putArray("clusters"), XdsResources.clusters(context, proxy.get()));
        dump(out.putArray("endpoints"), XdsResources.endpoints(context, proxy.get()));
        dump(out.putArray("listeners"), XdsResources.listeners(context, proxy.get()));
        dump(out.putArray("routes"), XdsResources.routes(context, proxy.get()));
        return new ApiResponse(200, out);
    }

    private void dump(ArrayNode into, SortedMap<String, Message> resources) {
        for (Message resource : resources.values()) {
            try {
                into.add(json.readTree(XdsJson.print(resource)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
