package dev.weft.cli.install;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Puts the rendered install into a cluster and takes it out again, with the fabric8 client: each object created, or
 * replaced when it exists (so a second install converges, as {@code kubectl apply} does), and reported as kubectl
 * does ({@code deployment.apps/weftd created}).
 */
public final class ClusterInstaller {

  private final KubernetesClient client;
  private final PrintWriter out;

  public ClusterInstaller(KubernetesClient client, PrintWriter out) {
    this.client = client;
    this.out = out;
  }

  /** The rendered objects in fabric8's typed model, in the order they are applied. */
  public static List<HasMetadata> objects(InstallValues values) {
    KubernetesSerialization serialization = new KubernetesSerialization();
    List<HasMetadata> objects = new ArrayList<>();
    for (InstallManifests.Manifest manifest : InstallManifests.render(values)) {
      Object parsed = serialization.unmarshal(manifest.yaml());
      if (parsed instanceof List<?> documents) {
        documents.forEach(document -> objects.add((HasMetadata) document));
      } else {
        objects.add((HasMetadata) parsed);
      }
    }
    return objects;
  }

  /** Creates or replaces every object, CRDs and the namespace first. */
  public void install(InstallValues values) {
    for (HasMetadata object : objects(values)) {
      Resource<HasMetadata> resource = client.resource(object);
      HasMetadata existing = resource.get();
      if (existing == null) {
        resource.create();
        report(object, "created");
      } else {
        // A replace names the version it replaces: CRDs refuse an update without one. Fields the API server
        // allocated (a Service's clusterIP) are kept by it when the new object leaves them out.
        object.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
        client.resource(object).update();
        report(object, "configured");
      }
    }
  }

  /**
   * Deletes the install in reverse order. Istio's CRDs (and with them every Istio resource in the cluster) and the
   * namespace stay unless {@code purge}, as with {@code istioctl uninstall} without {@code --purge}.
   */
  public void uninstall(InstallValues values, boolean purge) {
    List<HasMetadata> objects = objects(values);
    Collections.reverse(objects);
    for (HasMetadata object : objects) {
      if (!purge && (object instanceof CustomResourceDefinition || object instanceof Namespace)) {
        continue;
      }
      boolean deleted = !client.resource(object).delete().isEmpty();
      report(object, deleted ? "deleted" : "not found");
    }
  }

  private void report(HasMetadata object, String what) {
    String group = object.getApiVersion().contains("/")
        ? "." + object.getApiVersion().substring(0, object.getApiVersion().indexOf('/')) : "";
    out.println(object.getKind().toLowerCase(Locale.ROOT) + group + "/" + object.getMetadata().getName()
        + " " + what);
    out.flush();
  }
}
