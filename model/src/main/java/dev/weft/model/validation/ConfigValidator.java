package dev.weft.model.validation;

import dev.weft.model.ConfigError;
import dev.weft.model.Resource;
import dev.weft.model.kube.DeploymentSpec;
import dev.weft.model.kube.PodSpec;
import dev.weft.model.kube.ServiceSpec;
import dev.weft.model.networking.DestinationRule;
import dev.weft.model.networking.Gateway;
import dev.weft.model.networking.ServiceEntry;
import dev.weft.model.networking.Sidecar;
import dev.weft.model.networking.VirtualService;
import dev.weft.model.networking.WorkloadEntry;
import dev.weft.model.networking.WorkloadGroup;
import dev.weft.model.security.AuthorizationPolicy;
import dev.weft.model.security.PeerAuthentication;
import dev.weft.model.security.RequestAuthentication;
import dev.weft.model.telemetry.Telemetry;
import java.util.List;

/**
 * Istio's field-by-field validation (the webhook and CRD schema rules) for one resource; for Kubernetes
 * kinds, the API server's rules for the fields the mesh reads.
 */
public final class ConfigValidator {

  public List<ConfigError> validate(Resource<?> resource) {
    Findings findings = new Findings(resource);
    MetadataValidator.validate(resource.kind(), resource.metadata(), findings);
    switch (resource.spec()) {
      case VirtualService spec -> VirtualServiceValidator.validate(spec, findings);
      case DestinationRule spec -> DestinationRuleValidator.validate(spec, findings);
      case Gateway spec -> GatewayValidator.validate(spec, findings);
      case ServiceEntry spec -> ServiceEntryValidator.validate(spec, findings);
      case WorkloadEntry spec -> WorkloadEntryValidator.validate(spec, "spec", findings);
      case WorkloadGroup spec -> WorkloadGroupValidator.validate(spec, findings);
      case Sidecar spec -> SidecarValidator.validate(spec, findings);
      case PeerAuthentication spec -> PeerAuthenticationValidator.validate(spec, findings);
      case RequestAuthentication spec -> RequestAuthenticationValidator.validate(spec, findings);
      case AuthorizationPolicy spec -> AuthorizationPolicyValidator.validate(spec, findings);
      case Telemetry spec -> TelemetryValidator.validate(spec, findings);
      case ServiceSpec spec -> KubernetesValidator.validateService(spec, findings);
      case PodSpec spec -> KubernetesValidator.validatePod(spec, "spec", findings);
      case DeploymentSpec spec -> KubernetesValidator.validateDeployment(spec, findings);
      default -> {
        // ServiceAccount, Namespace, Secret: binding already checked the fields the mesh reads.
      }
    }
    return findings.errors();
  }
}
