package io.vdsoinventory.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vdsoinventory.testing.ElfImageBuilder.HashStyle;
import io.vdsoinventory.testing.ElfImageBuilder.Image;
import io.vdsoinventory.testing.ElfImageBuilder.SymbolSpec;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The written images are real ELF: GNU binutils reads them and lists what the builder was asked to write. */
class ElfImageBuilderTests {

    @TempDir
    Path dir;

    static List<Arguments> variants() {
        List<Arguments> variants = new ArrayList<>();
        variants.add(Arguments.of("x86_64 LE both hashes", ElfImageBuilder.elf64(ByteOrder.LITTLE_ENDIAN,
                ElfImageBuilder.EM_X86_64), "elf64-x86-64"));
        variants.add(Arguments.of("i386 ELF32 sysv", ElfImageBuilder.elf32(ByteOrder.LITTLE_ENDIAN,
                ElfImageBuilder.EM_386).hash(HashStyle.SYSV), "elf32-i386"));
        variants.add(Arguments.of("s390x BE 64-bit hash words", ElfImageBuilder.elf64(ByteOrder.BIG_ENDIAN,
                ElfImageBuilder.EM_S390).hash(HashStyle.SYSV), "elf64-s390|elf64-big"));
        variants.add(Arguments.of("ppc64 BE gnu", ElfImageBuilder.elf64(ByteOrder.BIG_ENDIAN,
                ElfImageBuilder.EM_PPC64).hash(HashStyle.GNU), "elf64-powerpc|elf64-big"));
        variants.add(Arguments.of("arm ELF32 BE both", ElfImageBuilder.elf32(ByteOrder.BIG_ENDIAN,
                ElfImageBuilder.EM_ARM), "elf32-bigarm|elf32-big"));
        return variants;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void readelfAndObjdumpListTheWrittenSymbolsAndVersions(String label, ElfImageBuilder builder, String format)
            throws Exception {
        Image image = builder.versions("LINUX_2.6", "LINUX_4.15")
                .symbol(SymbolSpec.function("__vdso_clock_gettime", "LINUX_2.6"))
                .symbol(SymbolSpec.function("clock_gettime", "LINUX_2.6").weak())
                .symbol(SymbolSpec.function("__vdso_getrandom", "LINUX_4.15").hiddenVersion())
                .symbol(SymbolSpec.function("number_of_the_beast", "LINUX_2.6"))
                .symbol(SymbolSpec.absolute("LINUX_2.6", "LINUX_2.6"))
                .buildId(new byte[] {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef})
                .linuxVersionNote(0x060100)
                .build();
        Path file = write(image);

        String readelf = run("readelf", "-h", "-S", "--dyn-syms", "-V", "-n", "-W", file.toString());
        assertThat(readelf).doesNotContain("Warning", "Error");
        assertThat(readelf).contains("DYN (Shared object file)")
                .containsPattern("FUNC +GLOBAL +DEFAULT +\\d+ __vdso_clock_gettime@@LINUX_2.6")
                .containsPattern("FUNC +WEAK +DEFAULT +\\d+ clock_gettime@@LINUX_2.6")
                .containsPattern("FUNC +GLOBAL +DEFAULT +\\d+ __vdso_getrandom@LINUX_4.15")
                .containsPattern("FUNC +GLOBAL +DEFAULT +\\d+ number_of_the_beast@@LINUX_2.6")
                .containsPattern("OBJECT +GLOBAL +DEFAULT +ABS LINUX_2.6")
                .contains("Flags: BASE  Index: 1  Cnt: 1  Name: linux-vdso.so.1")
                .contains("Index: 3  Cnt: 1  Name: LINUX_4.15")
                .contains("Build ID: deadbeef")
                .containsPattern("\\.gnu\\.version_d +VERDEF");

        String objdump = run("objdump", "-T", file.toString());
        // binutils-multiarch names the architecture's bfd target, a single-target objdump the generic one
        assertThat(objdump).containsPattern("file format (" + format + ")\\n")
                .containsPattern("g +DF \\.text\\s+0+10 +LINUX_2.6 +__vdso_clock_gettime")
                .containsPattern("w +DF \\.text\\s+0+10 +LINUX_2.6 +clock_gettime")
                .containsPattern("g +DF \\.text\\s+0+10 +\\(LINUX_4.15\\) +__vdso_getrandom")
                .containsPattern("LINUX_2.6 +number_of_the_beast");
    }

    @Test
    void imageWithoutSectionHeadersIsReadByReadelfThroughTheDynamicSegment() throws Exception {
        Image image = ElfImageBuilder.x86_64Vdso().sectionHeaders(false).build();

        String readelf = run("readelf", "-h", "-l", "-d", "-D", "-s", "-W", write(image).toString());

        assertThat(readelf).doesNotContain("Warning")
                .contains("Number of section headers:         0")
                .contains("Library soname: [linux-vdso.so.1]")
                .contains("Symbol table for image contains 12 entries")
                .containsPattern("FUNC +GLOBAL +DEFAULT +\\d+ __vdso_time@@LINUX_2.6");
    }

    @Test
    void extraSectionsArePlacedInTheLoadSegmentAtTheAddressesReported() throws Exception {
        byte[] alt = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        Image image = ElfImageBuilder.x86_64Vdso().loadAddress(0xffffffffff700000L)
                .section(".altinstructions", alt, ElfImageBuilder.SHF_ALLOC)
                .pagePadding(8192)
                .trailingBytes(new byte[] {0x42})
                .build();

        String readelf = run("readelf", "-S", "-W", write(image).toString());

        ElfImageBuilder.Placement placement = image.section(".altinstructions");
        assertThat(readelf).containsPattern(String.format(".altinstructions +PROGBITS +%016x %06x %06x",
                placement.address(), placement.offset(), placement.size()));
        assertThat(image.bytes()).hasSize(8193);
        assertThat(image.bytes()[(int) placement.offset() + 11]).isEqualTo((byte) 12);
        assertThat(image.bytes()[8192]).isEqualTo((byte) 0x42);
        assertThat(image.symbolValue("__vdso_clock_gettime"))
                .isBetween(image.section(".text").address(), image.section(".text").address() + 0x100);
    }

    private Path write(Image image) throws IOException {
        Path file = Files.createTempFile(dir, "vdso", ".so");
        Files.write(file, image.bytes());
        return file;
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException missing) {
            assumeTrue(false, command[0] + " is not installed: " + missing.getMessage());
            throw missing;
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
