package dev.weft.model.analysis;

import dev.weft.model.Kind;
import dev.weft.model.Resource;
import dev.weft.model.networking.Gateway;
import dev.weft.model.networking.HTTPMatchRequest;
import dev.weft.model.networking.HTTPRoute;
import dev.weft.model.networking.VirtualService;
import dev.weft.model.security.RequestAuthentication;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Routing on {@code @request.auth.claims.*} headers only works where a RequestAuthentication has
 * validated the token first: on a gateway, a RequestAuthentication must select the gateway workload.
 */
final class JwtClaimRouteAnalyzer implements Analyzer {
  static final String CLAIM_PREFIX = "@request.auth.claims";
  static final String ROOT_NAMESPACE = "istio-system";

  @Override
  public String name() {
    return "virtualservice.JWTClaimRouteAnalyzer";
  }

  @Override
  public void analyze(AnalysisContext context) {
    for (Resource<VirtualService> vs : context.snapshot().virtualServices()) {
      Optional<String> claimKey = firstClaimKey(vs.spec());
      if (claimKey.isEmpty()) {
        continue;
      }
      for (String reference : vs.spec().gateways()) {
        if (reference.equals(GatewayNames.MESH)) {
          continue;
        }
        GatewayNames.GatewayRef ref = GatewayNames.resolve(reference, vs.namespace());
        Optional<Resource<?>> found = context.snapshot().find(Kind.GATEWAY, ref.namespace(), ref.name());
        if (found.isEmpty()) {
          continue;
        }
        Resource<Gateway> gateway = found.get().as(Gateway.class);
        if (!authenticated(context, gateway)) {
          List<String> pods = context.workloads().selectedAnywhere(gateway.spec().selector()).stream()
              .map(w -> w.namespace() + "/" + w.name())
              .toList();
          context.report(vs, "spec.gateways", MessageType.JWT_CLAIM_BASED_ROUTING_WITHOUT_REQUEST_AUTH_N,
              claimKey.get(), ref.toString(), pods.isEmpty() ? "-" : String.join(",", pods));
        }
      }
    }
  }

  private static Optional<String> firstClaimKey(VirtualService vs) {
    for (HTTPRoute route : vs.http()) {
      for (HTTPMatchRequest match : route.match()) {
        Optional<String> key = match.headers().keySet().stream()
            .filter(name -> name.startsWith(CLAIM_PREFIX))
            .sorted()
            .findFirst();
        if (key.isPresent()) {
          return key;
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Whether some RequestAuthentication applies to the gateway's workload: one in the root namespace or
   * the gateway's namespace whose selector the gateway's labels satisfy.
   */
  private static boolean authenticated(AnalysisContext context, Resource<Gateway> gateway) {
    Map<String, String> gatewayLabels = gateway.spec().selector();
    for (Resource<RequestAuthentication> authn : context.snapshot().requestAuthentications()) {
      boolean inScope = authn.namespace().equals(ROOT_NAMESPACE)
          || authn.namespace().equals(gateway.namespace());
      Map<String, String> selector =
          authn.spec().selector() == null ? Map.of() : authn.spec().selector().matchLabels();
      if (inScope && LabelSets.selects(selector, gatewayLabels)) {
        return true;
      }
    }
    return false;
  }
}
