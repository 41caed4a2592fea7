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
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable, indexed set of resources, built once. Within a kind, resources keep the order they were
 * given in (load order); a later resource with the same kind, namespace and name replaces an earlier one.
 */
public final class ConfigSnapshot {
  private final Map<Kind, List<Resource<?>>> byKind;
  private final Map<Key, Resource<?>> byKey;

  private record Key(Kind kind, String namespace, String name) {}

  private ConfigSnapshot(Map<Kind, List<Resource<?>>> byKind, Map<Key, Resource<?>> byKey) {
    this.byKind = byKind;
    this.byKey = byKey;
  }

  public static ConfigSnapshot empty() {
    return of(List.of());
  }

  public static ConfigSnapshot of(Collection<? extends Resource<?>> resources) {
    Map<Key, Resource<?>> byKey = new LinkedHashMap<>();
    for (Resource<?> resource : resources) {
      byKey.put(new Key(resource.kind(), resource.namespace(), resource.name()), resource);
    }
    Map<Kind, List<Resource<?>>> grouped = new EnumMap<>(Kind.class);
    for (Kind kind : Kind.values()) {
      grouped.put(kind, new ArrayList<>());
    }
    byKey.values().forEach(resource -> grouped.get(resource.kind()).add(resource));
    Map<Kind, List<Resource<?>>> frozen = new EnumMap<>(Kind.class);
    grouped.forEach((kind, list) -> frozen.put(kind, List.copyOf(list)));
    return new ConfigSnapshot(frozen, Map.copyOf(byKey));
  }

  /** Every resource, grouped by kind in {@link Kind} order. */
  public List<Resource<?>> all() {
    return byKind.values().stream().flatMap(List::stream).toList();
  }

  public List<Resource<?>> ofKind(Kind kind) {
    return byKind.get(kind);
  }

  /** The resource of this kind in this namespace with this name (namespace ignored for Namespaces). */
  public Optional<Resource<?>> find(Kind kind, String namespace, String name) {
    return Optional.ofNullable(byKey.get(new Key(kind, kind.isNamespaced() ? namespace : "", name)));
  }

  @SuppressWarnings("unchecked")
  private <S extends Record> List<Resource<S>> typed(Kind kind) {
    return (List<Resource<S>>) (List<?>) byKind.get(kind);
  }

  public List<Resource<VirtualService>> virtualServices() {
    return typed(Kind.VIRTUAL_SERVICE);
  }

  public List<Resource<DestinationRule>> destinationRules() {
    return typed(Kind.DESTINATION_RULE);
  }

  public List<Resource<Gateway>> gateways() {
    return typed(Kind.GATEWAY);
  }

  public List<Resource<ServiceEntry>> serviceEntries() {
    return typed(Kind.SERVICE_ENTRY);
  }

  public List<Resource<WorkloadEntry>> workloadEntries() {
    return typed(Kind.WORKLOAD_ENTRY);
  }

  public List<Resource<WorkloadGroup>> workloadGroups() {
    return typed(Kind.WORKLOAD_GROUP);
  }

  public List<Resource<Sidecar>> sidecars() {
    return typed(Kind.SIDECAR);
  }

  public List<Resource<PeerAuthentication>> peerAuthentications() {
    return typed(Kind.PEER_AUTHENTICATION);
  }

  public List<Resource<RequestAuthentication>> requestAuthentications() {
    return typed(Kind.REQUEST_AUTHENTICATION);
  }

  public List<Resource<AuthorizationPolicy>> authorizationPolicies() {
    return typed(Kind.AUTHORIZATION_POLICY);
  }

  public List<Resource<Telemetry>> telemetries() {
    return typed(Kind.TELEMETRY);
  }

  public List<Resource<ServiceSpec>> services() {
    return typed(Kind.SERVICE);
  }

  public List<Resource<ServiceAccount>> serviceAccounts() {
    return typed(Kind.SERVICE_ACCOUNT);
  }

  public List<Resource<Namespace>> namespaces() {
    return typed(Kind.NAMESPACE);
  }

  public List<Resource<PodSpec>> pods() {
    return typed(Kind.POD);
  }

  public List<Resource<DeploymentSpec>> deployments() {
    return typed(Kind.DEPLOYMENT);
  }

  public List<Resource<Secret>> secrets() {
    return typed(Kind.SECRET);
  }
}
