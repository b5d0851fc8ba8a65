package io.vdsoinventory.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class ProcMapsTests {

    private static final String MAPS = """
            55d0c8a00000-55d0c8a02000 r--p 00000000 fd:01 1835131                    /usr/bin/cat
            7f3a1c000000-7f3a1c021000 rw-p 00000000 00:00 0
            7f3a1d5fa000-7f3a1d5fe000 r--p 00000000 00:00 0                          [vvar]
            7fa1921a4000-7fa1921a6000 r-xp 00000000 00:00 0                          [vdso]
            7ffd6b3b1000-7ffd6b3d2000 rw-p 00000000 00:00 0                          [stack]
            """;

    @Test
    void parseLineReadsEveryFieldOfAFileMapping() {
        MapsEntry entry = ProcMaps.parseLine(
                "55d0c8a00000-55d0c8a02000 r--p 00001000 fd:01 1835131                    /usr/bin/cat");

        assertThat(entry).isEqualTo(new MapsEntry(0x55d0c8a00000L, 0x55d0c8a02000L, "r--p", 0x1000, "fd:01",
                1835131, "/usr/bin/cat"));
        assertThat(entry.length()).isEqualTo(0x2000);
    }

    @Test
    void parseLineKeepsSpacesInsideThePathname() {
        MapsEntry entry = ProcMaps.parseLine("7f0000000000-7f0000001000 r--p 00000000 08:02 42   /tmp/my lib.so (deleted)");

        assertThat(entry.pathname()).isEqualTo("/tmp/my lib.so (deleted)");
    }

    @Test
    void parseLineGivesAnonymousMappingsAnEmptyPathname() {
        assertThat(ProcMaps.parseLine("7f3a1c000000-7f3a1c021000 rw-p 00000000 00:00 0").pathname()).isEmpty();
    }

    @Test
    void parseLineReadsKernelHalfAddressesAsUnsigned() {
        MapsEntry entry = ProcMaps.parseLine("ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0  [vsyscall]");

        assertThat(entry.start()).isEqualTo(0xffffffffff600000L);
        assertThat(entry.length()).isEqualTo(0x1000);
    }

    @Test
    void parseLineWhenFieldsAreMissingNamesTheLine() {
        assertThatIllegalArgumentException().isThrownBy(() -> ProcMaps.parseLine("7f00-7f10 r-xp"))
                .withMessageContaining("2 fields").withMessageContaining("7f00-7f10 r-xp");
    }

    @Test
    void parseLineWhenAddressIsNotHexNamesTheField() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ProcMaps.parseLine("7f0z-7f10 r-xp 00000000 00:00 0 [vdso]"))
                .withMessageContaining("start address '7f0z'");
    }

    @Test
    void parseLineWhenRangeIsReversedFails() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ProcMaps.parseLine("7f10-7f00 r-xp 00000000 00:00 0 [vdso]"))
                .withMessageContaining("ends before it starts");
    }

    @Test
    void parseLineWhenRangeHasNoDashFails() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ProcMaps.parseLine("7f10 r-xp 00000000 00:00 0 [vdso]"))
                .withMessageContaining("no start-end address range");
    }

    @Test
    void vdsoFindsTheVdsoLineNotTheVvarLine() {
        assertThat(ProcMaps.vdso(MAPS)).hasValueSatisfying(vdso -> {
            assertThat(vdso.start()).isEqualTo(0x7fa1921a4000L);
            assertThat(vdso.end()).isEqualTo(0x7fa1921a6000L);
            assertThat(vdso.permissions()).isEqualTo("r-xp");
        });
    }

    @Test
    void vdsoIgnoresAFileWhoseNameOnlyEndsLikeThePseudoPath() {
        String maps = "7f0000000000-7f0000001000 r--p 00000000 08:02 42   /tmp/evil[vdso]\n" + MAPS;

        assertThat(ProcMaps.vdso(maps)).hasValueSatisfying(vdso -> assertThat(vdso.start()).isEqualTo(0x7fa1921a4000L));
    }

    @Test
    void vdsoWhenProcessHasNoneIsEmpty() {
        String withoutVdso = MAPS.lines().filter(line -> !line.endsWith("[vdso]")).reduce("", (a, b) -> a + b + "\n");

        assertThat(ProcMaps.vdso(withoutVdso)).isEmpty();
    }
}
