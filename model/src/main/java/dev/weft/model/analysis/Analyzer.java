package dev.weft.model.analysis;

/** A cross-resource check over a whole configuration, reporting Istio's message codes. */
public interface Analyzer {

  /** Istio's name for the check, e.g. {@code virtualservice.DestinationHostAnalyzer}. */
  String name();

  void analyze(AnalysisContext context);
}
