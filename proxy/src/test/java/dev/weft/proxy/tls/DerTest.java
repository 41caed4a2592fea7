package dev.weft.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class DerTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void objectIdentifiersEncodeAndDecodeAsX690Says() {
        byte[] rsa = Der.oid("1.2.840.113549.1.1.1");
        assertThat(HEX.formatHex(rsa)).isEqualTo("06092a864886f70d010101");
        assertThat(Der.parse(rsa).oid()).isEqualTo("1.2.840.113549.1.1.1");
        assertThat(Der.parse(Der.oid("2.999.3")).oid()).isEqualTo("2.999.3");
    }

    @Test
    void longContentGetsALongFormLengthAndReadsBack() {
        byte[] octets = Der.octetString(new byte[300]);
        assertThat(HEX.formatHex(octets, 0, 4)).isEqualTo("0482012c");
        Der.Element read = Der.parse(Der.sequence(octets, Der.integer(0))).require(Der.SEQUENCE);
        assertThat(read.children()).extracting(Der.Element::tag).containsExactly(Der.OCTET_STRING, Der.INTEGER);
        assertThat(read.children().getFirst().content()).hasSize(300);
        assertThat(read.children().getFirst().encoded()).isEqualTo(octets);
    }

    @Test
    void contextTagsAndStrings() {
        assertThat(HEX.formatHex(Der.contextPrimitive(6, "a:b"))).isEqualTo("8603613a62");
        byte[] tagged = Der.contextConstructed(0, Der.bool(true));
        assertThat(HEX.formatHex(tagged)).isEqualTo("a0030101ff");
        assertThat(Der.parse(tagged).isContext(0)).isTrue();
        assertThat(HEX.formatHex(Der.bitString(new byte[] {1}))).isEqualTo("03020001");
    }

    @Test
    void truncatedOrTrailingBytesAreRefused() {
        assertThatThrownBy(() -> Der.parse(HEX.parseHex("3005020100"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("truncated DER element");
        assertThatThrownBy(() -> Der.parse(HEX.parseHex("02010000"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("trailing bytes after the DER element");
        assertThatThrownBy(() -> Der.parse(Der.integer(0)).require(Der.SEQUENCE))
                .hasMessage("expected DER tag 0x30, found 0x2");
    }
}
