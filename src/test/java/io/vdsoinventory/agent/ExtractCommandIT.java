package io.vdsoinventory.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged agent extracts a vDSO that GNU binutils read as a shared object with the vDSO's exports, and lists
 * its symbols exactly as objdump -T does.
 */
class ExtractCommandIT {

    /** x86 vDSOs export __vdso_*, arm64/riscv/s390/ppc ones __kernel_*. */
    private static final String CLOCK_GETTIME = "(__vdso_clock_gettime|__kernel_clock_gettime)";

    @TempDir
    Path dir;

    @Test
    void extractedImageIsReadByObjdumpAndReadelf() throws Exception {
        Path file = dir.resolve("vdso.so");

        AgentProcess agent = AgentProcess.agent(List.of(), "extract", file.toString());

        assertThat(agent.exitCode()).as(agent.stderr()).isZero();
        assertThat(agent.stdout()).containsPattern("(?m)^start 0x[0-9a-f]+$").containsPattern("(?m)^end   0x[0-9a-f]+$")
                .contains("bytes " + Files.size(file));

        AgentProcess objdump = AgentProcess.run(List.of("objdump", "-T", file.toString()));
        assertThat(objdump.exitCode()).as(objdump.stderr()).isZero();
        assertThat(objdump.stdout()).contains("DYNAMIC SYMBOL TABLE:").containsPattern(CLOCK_GETTIME);

        AgentProcess readelf = AgentProcess.run(List.of("readelf", "--dyn-syms", "-W", file.toString()));
        assertThat(readelf.exitCode()).as(readelf.stderr()).isZero();
        assertThat(readelf.stdout()).contains("Symbol table '.dynsym'").containsPattern(CLOCK_GETTIME);
        assertThat(readelf.stderr()).isEmpty();

        AgentProcess symbols = AgentProcess.agent(List.of(), "symbols", file.toString());
        assertThat(symbols.exitCode()).as(symbols.stderr()).isZero();
        String objdumpTable = objdump.stdout().substring(objdump.stdout().indexOf("DYNAMIC SYMBOL TABLE:")).strip();
        assertThat(symbols.stdout().strip()).isEqualTo(objdumpTable);
    }
}
