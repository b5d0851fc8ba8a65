package io.vdsoinventory.agent.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.vdsoinventory.testing.ElfImageBuilder;
import io.vdsoinventory.testing.ElfImageBuilder.SymbolSpec;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SymbolsCommandTests {

    @TempDir
    Path dir;

    @Test
    void symbolsOfAFileListEveryDynamicSymbolInTableOrder() throws Exception {
        ElfImageBuilder.Image image = ElfImageBuilder.x86_64Vdso()
                .symbol(SymbolSpec.function("number_of_the_beast", "LINUX_2.6").size(666)).build();
        Path file = dir.resolve("beast.so");
        Files.write(file, image.bytes());

        CliRun run = CliRun.execute("symbols", file.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        String[] lines = run.out().split("\n");
        assertThat(lines[0]).isEqualTo("DYNAMIC SYMBOL TABLE:");
        assertThat(lines).hasSize(1 + 12);
        assertThat(lines[image.dynsymIndex("number_of_the_beast")]).isEqualTo(String.format(
                "%016x g    DF .text\t%016x  LINUX_2.6   number_of_the_beast",
                image.symbolValue("number_of_the_beast"), 666));
        assertThat(lines[image.dynsymIndex("clock_gettime")]).startsWith(
                String.format("%016x  w   DF .text\t", image.symbolValue("clock_gettime")));
    }

    @Test
    void symbolsOfAnElf32ImageUseEightDigitColumnsAndShowHiddenVersions() throws Exception {
        ElfImageBuilder.Image image = ElfImageBuilder.elf32(ByteOrder.BIG_ENDIAN, ElfImageBuilder.EM_S390)
                .versions("LINUX_2.6.29")
                .symbol(SymbolSpec.function("__kernel_gettimeofday", "LINUX_2.6.29").size(0x40))
                .symbol(SymbolSpec.function("__kernel_old", "LINUX_2.6.29").hiddenVersion().size(8))
                .build();
        Path file = dir.resolve("s390.so");
        Files.write(file, image.bytes());

        CliRun run = CliRun.execute("symbols", file.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains(String.format("%08x g    DF .text\t00000040  LINUX_2.6.29 __kernel_gettimeofday",
                        image.symbolValue("__kernel_gettimeofday")))
                .contains(String.format("%08x g    DF .text\t00000008 (LINUX_2.6.29) __kernel_old",
                        image.symbolValue("__kernel_old")));
    }

    @Test
    void symbolsWithoutFileListTheLiveVdso() {
        CliRun run = CliRun.execute("symbols");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("DYNAMIC SYMBOL TABLE:").containsPattern("DF \\.text\t.*clock_gettime");
    }
}
