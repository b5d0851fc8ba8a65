package io.vdsoinventory.agent.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.vdsoinventory.elf.ElfSymbol;
import io.vdsoinventory.elf.SymbolBinding;
import io.vdsoinventory.elf.SymbolType;
import io.vdsoinventory.elf.SymbolVisibility;
import io.vdsoinventory.vdso.Anomaly;
import io.vdsoinventory.vdso.AnomalyKind;
import io.vdsoinventory.vdso.VdsoImage;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class InspectReportTests {

    private static final String SHA = "a".repeat(64);
    private static final String NORMALIZED = "b".repeat(64);

    private static final VdsoImage IMAGE = new VdsoImage(SHA, NORMALIZED, 8192, 0x1000, 64, ByteOrder.LITTLE_ENDIAN,
            62, "x86_64", Optional.of("linux-vdso.so.1"), Optional.of("e025128345ce65b719dab776555f2b64ee0204a1"),
            List.of("LINUX_2.6"),
            List.of(symbol(1, "clock_gettime", 0xaf0, 902, SymbolType.STT_FUNC, SymbolBinding.STB_WEAK, 12,
                            "LINUX_2.6", false),
                    symbol(2, "number_of_the_beast", 0xfffffffffffff000L, 666, SymbolType.STT_FUNC,
                            SymbolBinding.STB_GLOBAL, 12, "LINUX_2.6", true),
                    symbol(3, "plain", 0x10, 0, SymbolType.STT_NOTYPE, SymbolBinding.STB_GLOBAL, ElfSymbol.SHN_ABS,
                            null, false),
                    symbol(4, "LINUX_2.6", 0, 0, SymbolType.STT_OBJECT, SymbolBinding.STB_GLOBAL, ElfSymbol.SHN_ABS,
                            "LINUX_2.6", false)),
            List.of(),
            List.of(new Anomaly(AnomalyKind.HIDDEN_BYTES, "4 non-zero bytes after the ELF extent at 0x1000")));

    private static ElfSymbol symbol(int index, String name, long value, long size, SymbolType type,
                                    SymbolBinding binding, int section, String version, boolean hidden) {
        return new ElfSymbol(index, name, value, size, type, binding, SymbolVisibility.STV_DEFAULT, section, version,
                hidden);
    }

    private final JsonNode json = JsonMapper.builder().build().readTree(InspectReport.of(IMAGE, null).json());

    @Test
    void jsonCarriesTheImageIdentities() {
        assertThat(json.get("sha256").asString()).isEqualTo(SHA);
        assertThat(json.get("normalizedSha256").asString()).isEqualTo(NORMALIZED);
        assertThat(json.get("size").asInt()).isEqualTo(8192);
        assertThat(json.get("elfClass").asInt()).isEqualTo(64);
        assertThat(json.get("byteOrder").asString()).isEqualTo("LITTLE_ENDIAN");
        assertThat(json.get("machine").asInt()).isEqualTo(62);
        assertThat(json.get("arch").asString()).isEqualTo("x86_64");
        assertThat(json.get("soname").asString()).isEqualTo("linux-vdso.so.1");
        assertThat(json.get("buildId").asString()).isEqualTo("e025128345ce65b719dab776555f2b64ee0204a1");
        assertThat(json.get("versions").get(0).asString()).isEqualTo("LINUX_2.6");
    }

    @Test
    void jsonSymbolsUseReadelfSpellingAndNumbers() {
        JsonNode weak = json.get("symbols").get(0);
        assertThat(weak.get("name").asString()).isEqualTo("clock_gettime");
        assertThat(weak.get("type").asString()).isEqualTo("FUNC");
        assertThat(weak.get("binding").asString()).isEqualTo("WEAK");
        assertThat(weak.get("value").isNumber()).isTrue();
        assertThat(weak.get("value").asLong()).isEqualTo(0xaf0);
        assertThat(weak.get("size").asLong()).isEqualTo(902);
        assertThat(weak.get("section").asInt()).isEqualTo(12);
        assertThat(weak.get("hidden").asBoolean()).isFalse();
    }

    @Test
    void jsonKeepsUnsignedValuesAboveTheSignedRange() {
        JsonNode high = json.get("symbols").get(1);
        assertThat(high.get("value").bigIntegerValue()).hasToString("18446744073709547520");
        assertThat(high.get("hidden").asBoolean()).isTrue();
    }

    @Test
    void jsonGivesAnUnversionedSymbolANullVersion() {
        JsonNode plain = json.get("symbols").get(2);
        assertThat(plain.get("version").isNull()).isTrue();
        assertThat(plain.get("type").asString()).isEqualTo("NOTYPE");
        assertThat(plain.get("section").asInt()).isEqualTo(0xfff1);
    }

    @Test
    void jsonListsAnomaliesByKind() {
        JsonNode anomaly = json.get("anomalies").get(0);
        assertThat(anomaly.get("kind").asString()).isEqualTo("HIDDEN_BYTES");
        assertThat(anomaly.get("detail").asString()).contains("after the ELF extent");
    }

    @Test
    void summaryShowsVersionedNamesAndAnomalies() {
        String summary = InspectReport.of(IMAGE, null).summary("image.so");

        assertThat(summary).contains("image       image.so", "build-id    e025128345ce65b719dab776555f2b64ee0204a1",
                "ELF64 little-endian, e_machine 62 (x86_64)", "clock_gettime@@LINUX_2.6",
                "number_of_the_beast@LINUX_2.6", "HIDDEN_BYTES: 4 non-zero bytes")
                .containsPattern("OBJECT +GLOBAL +0x0 +0  LINUX_2.6\\R");
    }
}
