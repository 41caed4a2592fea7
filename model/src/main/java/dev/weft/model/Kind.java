package dev.weft.model;

import dev.weft.model.kube.DeploymentSpec;
import dev.weft.model.kube.Namespace;
import dev.weft.model.kube.PodSpec;
import dev.weft.model.kube.Secret;
import dev.weft.model.kube.ServiceAccount;
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
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Every resource kind the model understands, with the API group, the accepted versions and the record
 * its body binds to. Istio kinds are strict (unknown fields are errors); Kubernetes kinds are lenient
 * (they carry much that the mesh does not model).
 */
public enum Kind {
  VIRTUAL_SERVICE(Groups.NETWORKING, "VirtualService", Groups.NETWORKING_VERSIONS, VirtualService.class, Body.SPEC),
  DESTINATION_RULE(Groups.NETWORKING, "DestinationRule", Groups.NETWORKING_VERSIONS, DestinationRule.class, Body.SPEC),
  GATEWAY(Groups.NETWORKING, "Gateway", Groups.NETWORKING_VERSIONS, Gateway.class, Body.SPEC),
  SERVICE_ENTRY(Groups.NETWORKING, "ServiceEntry", Groups.NETWORKING_VERSIONS, ServiceEntry.class, Body.SPEC),
  WORKLOAD_ENTRY(Groups.NETWORKING, "WorkloadEntry", Groups.NETWORKING_VERSIONS, WorkloadEntry.class, Body.SPEC),
  WORKLOAD_GROUP(Groups.NETWORKING, "WorkloadGroup", Groups.NETWORKING_VERSIONS, WorkloadGroup.class, Body.SPEC),
  SIDECAR(Groups.NETWORKING, "Sidecar", Groups.NETWORKING_VERSIONS, Sidecar.class, Body.SPEC),
  PEER_AUTHENTICATION(Groups.SECURITY, "PeerAuthentication", Groups.SECURITY_VERSIONS, PeerAuthentication.class, Body.SPEC),
  REQUEST_AUTHENTICATION(Groups.SECURITY, "RequestAuthentication", Groups.SECURITY_VERSIONS, RequestAuthentication.class, Body.SPEC),
  AUTHORIZATION_POLICY(Groups.SECURITY, "AuthorizationPolicy", Groups.SECURITY_VERSIONS, AuthorizationPolicy.class, Body.SPEC),
  TELEMETRY(Groups.TELEMETRY, "Telemetry", Groups.TELEMETRY_VERSIONS, Telemetry.class, Body.SPEC),
  SERVICE("", "Service", List.of("v1"), ServiceSpec.class, Body.SPEC),
  SERVICE_ACCOUNT("", "ServiceAccount", List.of("v1"), ServiceAccount.class, Body.ROOT),
  NAMESPACE("", "Namespace", List.of("v1"), Namespace.class, Body.ROOT),
  POD("", "Pod", List.of("v1"), PodSpec.class, Body.SPEC),
  DEPLOYMENT("apps", "Deployment", List.of("v1"), DeploymentSpec.class, Body.SPEC),
  SECRET("", "Secret", List.of("v1"), Secret.class, Body.ROOT);

  /** Where a kind's modelled fields live in its document. */
  public enum Body {
    /** Under {@code spec}. */
    SPEC,
    /** At the top level beside {@code metadata} (Secret, ServiceAccount, Namespace). */
    ROOT
  }

  private final String group;
  private final String kindName;
  private final List<String> versions;
  private final Class<? extends Record> specType;
  private final Body body;

  Kind(String group, String kindName, List<String> versions, Class<? extends Record> specType, Body body) {
    this.group = group;
    this.kindName = kindName;
    this.versions = versions;
    this.specType = specType;
    this.body = body;
  }

  /** API group, empty for the Kubernetes core group. */
  public String group() {
    return group;
  }

  /** The {@code kind:} value, e.g. {@code VirtualService}. */
  public String kindName() {
    return kindName;
  }

  /** Accepted versions, newest first. */
  public List<String> versions() {
    return versions;
  }

  /** Record type of the body ({@link Resource#spec()}). */
  public Class<? extends Record> specType() {
    return specType;
  }

  public Body body() {
    return body;
  }

  /** Istio kinds reject unknown fields and have their fields validated by Istio's rules. */
  public boolean isIstio() {
    return group.endsWith("istio.io");
  }

  /** Cluster-scoped kinds (Namespace) have no namespace. */
  public boolean isNamespaced() {
    return this != NAMESPACE;
  }

  /** The preferred {@code apiVersion} value, e.g. {@code networking.istio.io/v1}. */
  public String preferredApiVersion() {
    return group.isEmpty() ? versions.getFirst() : group + "/" + versions.getFirst();
  }

  /** The kind with this group and {@code kind:} value, whatever the version. */
  public static Optional<Kind> find(String group, String kindName) {
    return Arrays.stream(values())
        .filter(k -> k.group.equals(group) && k.kindName.equals(kindName))
        .findFirst();
  }

  @Override
  public String toString() {
    return kindName;
  }

  private static final class Groups {
    static final String NETWORKING = "networking.istio.io";
    static final String SECURITY = "security.istio.io";
    static final String TELEMETRY = "telemetry.istio.io";
    static final List<String> NETWORKING_VERSIONS = List.of("v1", "v1beta1", "v1alpha3");
    static final List<String> SECURITY_VERSIONS = List.of("v1", "v1beta1");
    static final List<String> TELEMETRY_VERSIONS = List.of("v1", "v1alpha1");
  }
}
