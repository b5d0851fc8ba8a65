package io.vdsoinventory.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class CertificatePinTests {

    private static final String HEX = "0b0a61ae5b5cbec3ebf85d9d64c6dc7f86530dc8103c22ba2a5312debf2ad515";

    @Test
    void theLoggedSpellingBareHexAndBase64AreTheSamePin() {
        String base64 = Base64.getEncoder().encodeToString(HexFormat.of().parseHex(HEX));

        assertThat(CertificatePin.parse("sha256:" + HEX)).hasToString("sha256:" + HEX);
        assertThat(CertificatePin.parse("SHA256:" + HEX.toUpperCase())).isEqualTo(CertificatePin.parse(HEX));
        assertThat(CertificatePin.parse(base64)).isEqualTo(CertificatePin.parse(HEX));
    }

    @Test
    void anythingElseIsRefusedNamingTheExpectedSpelling() {
        for (String bad : new String[] {"", "sha256:", "sha256:" + HEX.substring(1), "md5:" + HEX, "not a pin",
                Base64.getEncoder().encodeToString(new byte[31])}) {
            assertThatThrownBy(() -> CertificatePin.parse(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sha256:<64 hex digits>");
        }
    }
}
