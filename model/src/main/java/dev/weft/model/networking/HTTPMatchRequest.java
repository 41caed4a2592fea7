package dev.weft.model.networking;

import java.util.List;
import java.util.Map;

/** HTTP match conditions; fields are ANDed, blocks in a list are ORed. */
public record HTTPMatchRequest(
    String name,
    StringMatch uri,
    StringMatch scheme,
    StringMatch method,
    StringMatch authority,
    Map<String, StringMatch> headers,
    int port,
    Map<String, String> sourceLabels,
    List<String> gateways,
    Map<String, StringMatch> queryParams,
    boolean ignoreUriCase,
    Map<String, StringMatch> withoutHeaders,
    String sourceNamespace,
    String statPrefix) {}
