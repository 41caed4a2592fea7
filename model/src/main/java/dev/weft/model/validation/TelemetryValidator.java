package dev.weft.model.validation;

import dev.weft.model.telemetry.CustomTag;
import dev.weft.model.telemetry.Metrics;
import dev.weft.model.telemetry.MetricsOverrides;
import dev.weft.model.telemetry.ProviderRef;
import dev.weft.model.telemetry.TagOperation;
import dev.weft.model.telemetry.Telemetry;
import dev.weft.model.telemetry.Tracing;
import java.util.List;

/** Istio's validation rules for Telemetry. */
final class TelemetryValidator {
  private TelemetryValidator() {}

  static void validate(Telemetry telemetry, Findings findings) {
    PolicyTargets.check(telemetry.selector(), telemetry.targetRef(), telemetry.targetRefs(), findings);
    for (int i = 0; i < telemetry.tracing().size(); i++) {
      checkTracing(telemetry.tracing().get(i), "spec.tracing[" + i + "]", findings);
    }
    for (int i = 0; i < telemetry.metrics().size(); i++) {
      checkMetrics(telemetry.metrics().get(i), "spec.metrics[" + i + "]", findings);
    }
    for (int i = 0; i < telemetry.accessLogging().size(); i++) {
      String path = "spec.accessLogging[" + i + "]";
      checkProviders(telemetry.accessLogging().get(i).providers(), path + ".providers", findings);
    }
  }

  private static void checkTracing(Tracing tracing, String path, Findings findings) {
    checkProviders(tracing.providers(), path + ".providers", findings);
    Double sampling = tracing.randomSamplingPercentage();
    if (sampling != null && (sampling < 0 || sampling > 100)) {
      findings.error(path + ".randomSamplingPercentage", "Invalid value: " + sampling
          + ": randomSamplingPercentage must be in range [0.0, 100.0]");
    }
    tracing.customTags().forEach((name, tag) -> checkCustomTag(tag, path + ".customTags[" + name + "]", findings));
    ignored(tracing.useRequestIdForTraceSampling(), path + ".useRequestIdForTraceSampling", findings);
    ignored(tracing.disableContextPropagation(), path + ".disableContextPropagation", findings);
  }

  /** A field Istio honours and weft accepts but does not act on: said, so nobody waits for its effect. */
  private static void ignored(Object value, String path, Findings findings) {
    if (value != null) {
      findings.warning(path, "not supported by Weft: ignored");
    }
  }

  private static void checkCustomTag(CustomTag tag, String path, Findings findings) {
    int kinds = (tag.literal() != null ? 1 : 0) + (tag.environment() != null ? 1 : 0) + (tag.header() != null ? 1 : 0);
    if (kinds != 1) {
      findings.error(path, "must specify exactly one of literal, environment or header");
    }
    if (tag.environment() != null && tag.environment().name().isEmpty()) {
      findings.required(path + ".environment.name");
    }
    if (tag.header() != null && tag.header().name().isEmpty()) {
      findings.required(path + ".header.name");
    }
  }

  private static void checkMetrics(Metrics metrics, String path, Findings findings) {
    checkProviders(metrics.providers(), path + ".providers", findings);
    Durations.checkAtLeastMillisecond(metrics.reportingInterval(), path + ".reportingInterval", findings);
    for (int i = 0; i < metrics.overrides().size(); i++) {
      MetricsOverrides override = metrics.overrides().get(i);
      String overridePath = path + ".overrides[" + i + "]";
      if (override.match() != null && !override.match().customMetric().isEmpty()
          && findings.present(overridePath + ".match.metric")) {
        findings.error(overridePath + ".match", "only one of metric or customMetric may be set");
      }
      override.tagOverrides().forEach((tag, change) -> {
        String tagPath = overridePath + ".tagOverrides[" + tag + "]";
        if (change.operation() == TagOperation.UPSERT && change.value().isEmpty()) {
          findings.error(tagPath + ".value", "Required value: must be set for UPSERT");
        }
        if (change.operation() == TagOperation.REMOVE && !change.value().isEmpty()) {
          findings.error(tagPath + ".value", "value must not be set for REMOVE");
        }
      });
    }
  }

  private static void checkProviders(List<ProviderRef> providers, String path, Findings findings) {
    for (int i = 0; i < providers.size(); i++) {
      if (providers.get(i).name().isEmpty()) {
        findings.required(path + "[" + i + "].name");
      }
    }
  }
}
