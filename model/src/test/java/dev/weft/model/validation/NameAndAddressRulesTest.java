package dev.weft.model.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NameAndAddressRulesTest {
  @ParameterizedTest
  @ValueSource(strings = {"1.2.3.4", "255.255.255.255", "::", "::1", "2001:db8::1", "001:db8::",
      "fe80::1:2:3:4:5", "1:2:3:4:5:6:7:8", "::ffff:10.0.0.1"})
  void acceptsIpLiterals(String address) {
    assertThat(IpAddresses.isIp(address)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "1.2.3", "256.1.1.1", "01.2.3.4", "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::",
      "example.com", "1.2.3.4/8", ":::"})
  void rejectsNonIps(String address) {
    assertThat(IpAddresses.isIp(address)).isFalse();
  }

  @Test
  void cidrBlocks() {
    assertThat(IpAddresses.isCidr("10.0.0.0/8")).isTrue();
    assertThat(IpAddresses.isCidr("2001:db8::/32")).isTrue();
    assertThat(IpAddresses.isCidr("10.0.0.0/33")).isFalse();
    assertThat(IpAddresses.isCidr("10.0.0.0")).isFalse();
    assertThat(IpAddresses.isCidr("2001:db8::/129")).isFalse();
  }

  @Test
  void wildcardDomains() {
    assertThat(DomainNames.checkWildcardDomain("*", false)).isNull();
    assertThat(DomainNames.checkWildcardDomain("*.example.com", false)).isNull();
    assertThat(DomainNames.checkWildcardDomain("reviews.default.svc.cluster.local", false)).isNull();
    assertThat(DomainNames.checkWildcardDomain("*x", false)).isEqualTo("domain name \"*x\" invalid (label \"*x\" invalid)");
    assertThat(DomainNames.checkWildcardDomain("*x", true)).isNull();
    assertThat(DomainNames.checkWildcardDomain("a.*.com", false)).contains("label \"*\" invalid");
    assertThat(DomainNames.checkWildcardDomain("", false)).isEqualTo("empty domain name not allowed");
    assertThat(DomainNames.checkWildcardDomain("-a.com", false)).contains("label \"-a\" invalid");
  }

  @Test
  void kubernetesNames() {
    assertThat(DomainNames.isLabel("istio-system")).isTrue();
    assertThat(DomainNames.isLabel("Istio")).isFalse();
    assertThat(DomainNames.isSubdomain("my.gateway-1")).isTrue();
    assertThat(DomainNames.isSubdomain("my_gateway")).isFalse();
  }
}
