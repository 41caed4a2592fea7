package dev.weft.model.security;

import java.util.List;

/** Request origin attributes; fields are ANDed, values in a field ORed. */
public record Source(
    List<String> principals,
    List<String> notPrincipals,
    List<String> requestPrincipals,
    List<String> notRequestPrincipals,
    List<String> namespaces,
    List<String> notNamespaces,
    List<String> ipBlocks,
    List<String> notIpBlocks,
    List<String> remoteIpBlocks,
    List<String> notRemoteIpBlocks,
    List<String> serviceAccounts,
    List<String> notServiceAccounts,
    List<String> trustDomains,
    List<String> notTrustDomains) {}
