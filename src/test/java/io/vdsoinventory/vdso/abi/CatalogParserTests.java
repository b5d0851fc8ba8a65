package io.vdsoinventory.vdso.abi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CatalogParserTests {

    private static final String ABI = "abi | demo | x86_64, x32 | linux-vdso.so.1 | LINUX_2.6 | arch/demo/vdso.lds.S";
    private static final String SYM = "sym | demo | __vdso_time | LINUX_2.6 | 3.0 | guess | - | - | arch/demo/vdso.lds.S | memory";

    @Test
    void parseWhenWellFormedReadsEveryField() {
        List<AbiEntry> entries = CatalogParser.parse(List.of("# comment", "", ABI, SYM,
                "sym | demo | __vdso_old | LINUX_2.6 | 2.6.23 | verified | 5.11 | CONFIG_X && CONFIG_Y | arch/demo/vdso.lds.S@abc | vdso(7)"),
                "demo.txt");

        assertThat(entries).singleElement().satisfies(entry -> {
            assertThat(entry.id()).isEqualTo("demo");
            assertThat(entry.archKeys()).containsExactly("x86_64", "x32");
            assertThat(entry.sonames()).containsExactly("linux-vdso.so.1");
            assertThat(entry.versionNodes()).containsExactly("LINUX_2.6");
            assertThat(entry.source()).isEqualTo("arch/demo/vdso.lds.S");
            assertThat(entry.symbols()).containsExactly(
                    new AbiSymbol("__vdso_time", "LINUX_2.6", new KernelVersion(3, 0, 0), Certainty.GUESS,
                            Optional.empty(), "", "arch/demo/vdso.lds.S", "memory"),
                    new AbiSymbol("__vdso_old", "LINUX_2.6", new KernelVersion(2, 6, 23), Certainty.VERIFIED,
                            Optional.of(new KernelVersion(5, 11, 0)), "CONFIG_X && CONFIG_Y",
                            "arch/demo/vdso.lds.S@abc", "vdso(7)"));
        });
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "sym | demo | __vdso_time | LINUX_2.6 | 3.0 | guess | - | - | arch/x;                 line 2: 9 fields where 10 are expected",
        "sym | other | __vdso_time | LINUX_2.6 | 3.0 | guess | - | - | arch/x | m;           line 2: symbol of undeclared ABI 'other'",
        "sym | demo | __vdso_time | LINUX_2.5 | 3.0 | guess | - | - | arch/x | m;            line 2: version node LINUX_2.5 is not declared by ABI demo",
        "sym | demo | __vdso_time | LINUX_2.6 | three | guess | - | - | arch/x | m;          line 2: not a kernel version (MAJOR.MINOR[.PATCH]): 'three'",
        "sym | demo | __vdso_time | LINUX_2.6 | 3.0 | likely | - | - | arch/x | m;           line 2: certainty must be verified or guess, not 'likely'",
        "sym | demo | __vdso_time | LINUX_2.6 | 3.0 | guess | 2.6 | - | arch/x | m;          line 2: symbol __vdso_time is removed in 2.6, not after it came in 3.0",
        "sym | demo | __vdso_time | LINUX_2.6 | 3.0 | guess | - | - |  | m;                  line 2: empty field (write - for none)",
        "sym | demo | bad name | LINUX_2.6 | 3.0 | guess | - | - | arch/x | m;               line 2: bad symbol name 'bad name'",
        "abi | demo | x86_64 | linux-vdso.so.1 | LINUX_2.6 | arch/x;                          line 2: ABI 'demo' is declared twice",
        "abi | next | x86_64,x86_64 | linux-vdso.so.1 | LINUX_2.6 | arch/x;                   line 2: repeated name in arch keys 'x86_64,x86_64'",
        "symbol | demo;                                                                      line 2: unknown record type 'symbol' (expected abi or sym)"
    })
    void parseWhenALineIsMalformedNamesOriginLineAndReason(String badLine, String expected) {
        assertThatThrownBy(() -> CatalogParser.parse(List.of(ABI, badLine, SYM), "demo.txt"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("demo.txt " + expected.strip());
    }

    @Test
    void parseWhenSymbolIsListedTwiceRejectsTheSecond() {
        assertThatThrownBy(() -> CatalogParser.parse(List.of(ABI, SYM, SYM), "demo.txt"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("demo.txt line 3: symbol __vdso_time is listed twice for ABI demo");
    }

    @Test
    void parseWhenAbiHasNoSymbolOrFileIsEmptyRejectsIt() {
        assertThatThrownBy(() -> CatalogParser.parse(List.of(ABI), "demo.txt"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("demo.txt: ABI demo lists no symbol");
        assertThatThrownBy(() -> CatalogParser.parse(List.of("# nothing"), "demo.txt"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("demo.txt: no abi record");
    }

    @Test
    void readWhenStreamHoldsACatalogIndexesItByArch() throws Exception {
        byte[] text = String.join("\n", ABI, SYM).getBytes(StandardCharsets.UTF_8);

        AbiCatalog catalog = AbiCatalog.read(new ByteArrayInputStream(text), "demo.txt");

        assertThat(catalog.forArch("x32")).extracting(AbiEntry::id).containsExactly("demo");
        assertThat(catalog.check("x32", List.of("LINUX_2.6"), List.of(Symbols.global("__vdso_time", "LINUX_2.6"))))
                .isEmpty();
    }
}
