package dev.weft.xds.authz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envoyproxy.envoy.config.core.v3.CidrRange;
import org.junit.jupiter.api.Test;

class CidrRangesTest {

    @Test
    void addressesAndPrefixesKeepTheirAddressUnmasked() throws Inexpressible {
        assertThat(text(CidrRanges.of("10.1.2.3"))).isEqualTo("10.1.2.3/32");
        assertThat(text(CidrRanges.of("10.1.2.3/16"))).isEqualTo("10.1.2.3/16");
        assertThat(text(CidrRanges.of("::1"))).isEqualTo("::1/128");
    }

    @Test
    void ipv6IsPrintedAsGoDoesLowerCaseWithTheFirstLongestZeroRunCompressed() throws Inexpressible {
        assertThat(text(CidrRanges.of("2001:DB8:0:0:1:0:0:1/64"))).isEqualTo("2001:db8::1:0:0:1/64");
        assertThat(text(CidrRanges.of("2001:db8:0:1:0:0:0:1"))).isEqualTo("2001:db8:0:1::1/128");
        assertThat(text(CidrRanges.of("2001:db8:1:2:3:4:0:5"))).as("a single zero group stays")
                .isEqualTo("2001:db8:1:2:3:4:0:5/128");
    }

    @Test
    void namesAndBadPrefixesAreNotAddresses() {
        assertThatThrownBy(() -> CidrRanges.of("example.com")).isInstanceOf(Inexpressible.class);
        assertThatThrownBy(() -> CidrRanges.of("10.0.0.1/33")).isInstanceOf(Inexpressible.class);
        assertThatThrownBy(() -> CidrRanges.of("10.0.0.1/")).isInstanceOf(Inexpressible.class);
        assertThatThrownBy(() -> CidrRanges.of("256.0.0.1")).isInstanceOf(Inexpressible.class);
    }

    private static String text(CidrRange range) {
        return range.getAddressPrefix() + "/" + range.getPrefixLen().getValue();
    }
}
