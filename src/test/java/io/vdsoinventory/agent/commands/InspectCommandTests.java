package io.vdsoinventory.agent.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.vdsoinventory.testing.ElfImageBuilder;
import io.vdsoinventory.testing.ElfImageBuilder.SymbolSpec;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class InspectCommandTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    private JsonNode inspectJson(byte[] bytes, String... options) throws Exception {
        CliRun run = inspect(bytes, Stream.concat(Stream.of("--json"), Stream.of(options)).toArray(String[]::new));
        return JSON.readTree(run.out());
    }

    /** {@code agent inspect OPTIONS FILE} on {@code bytes}, which must succeed without a word on stderr. */
    private CliRun inspect(byte[] bytes, String... options) throws Exception {
        Path file = dir.resolve("image.so");
        Files.write(file, bytes);
        CliRun run = CliRun.execute(Stream.concat(Stream.concat(Stream.of("inspect"), Stream.of(options)),
                Stream.of(file.toString())).toArray(String[]::new));
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).isEmpty();
        return run;
    }

    private static byte[] beastImage() {
        return ElfImageBuilder.x86_64Vdso()
                .symbol(SymbolSpec.function("number_of_the_beast", "LINUX_2.6")).build().bytes();
    }

    @Test
    void jsonListsASymbolOutsideTheCatalogWithTheLinkerScriptItComesFrom() throws Exception {
        JsonNode json = inspectJson(beastImage());

        JsonNode deviations = json.get("abiDeviations");
        assertThat(deviations).hasSize(1);
        assertThat(deviations.get(0).get("kind").asString()).isEqualTo("UNKNOWN_SYMBOL");
        assertThat(deviations.get(0).get("subject").asString()).isEqualTo("number_of_the_beast");
        assertThat(deviations.get(0).get("detail").asString()).contains("not exported by the x86_64 vDSO");
        assertThat(deviations.get(0).get("source").asString()).contains("arch/x86/entry/vdso/vdso64/vdso64.lds.S");
        assertThat(json.get("kernelRelease").isNull()).isTrue();
    }

    @Test
    void summaryListsTheDeviationAndItsSourceAndSaysMissingSymbolsWereNotChecked() throws Exception {
        CliRun run = inspect(beastImage());

        assertThat(run.out()).contains("anomalies   none")
                .contains("abi         1 deviation (missing symbols not checked: kernel release unknown, "
                        + "see --kernel-release)")
                .contains("  UNKNOWN_SYMBOL: symbol number_of_the_beast is not exported by the x86_64 vDSO")
                .containsPattern("\\R    source: arch/x86/entry/vdso/vdso64/vdso64.lds.S");
    }

    @Test
    void aKernelReleaseNamesTheUngatedSymbolsItsVdsoMustHaveAndTheImageLacks() throws Exception {
        byte[] withoutGetrandom = ElfImageBuilder.x86_64Vdso().build().bytes();

        JsonNode before = inspectJson(withoutGetrandom, "--kernel-release", "6.1.0-18-amd64");
        JsonNode after = inspectJson(withoutGetrandom, "--kernel-release", "6.12.9");

        assertThat(before.get("kernelRelease").asString()).isEqualTo("6.1.0-18-amd64");
        assertThat(before.get("abiDeviations").isEmpty()).isTrue();
        assertThat(after.get("abiDeviations").findValuesAsString("kind")).containsOnly("MISSING_SYMBOL");
        assertThat(after.get("abiDeviations").findValuesAsString("subject"))
                .containsExactlyInAnyOrder("__vdso_getrandom", "getrandom");
        assertThat(after.get("abiDeviations").get(0).get("detail").asString())
                .contains("kernel 6.12.9 (since 6.11, verified, no Kconfig gate)");
        assertThat(after.get("abiDeviations").get(0).get("source").asString()).contains("vdso64.lds.S");
    }

    @Test
    void deviationsLeaveTheExitCodeAtZeroAndABadReleaseIsAUsageError() throws Exception {
        Path file = dir.resolve("beast.so");
        Files.write(file, beastImage());

        CliRun deviating = CliRun.execute("inspect", "--kernel-release", "6.12", file.toString());
        CliRun unreadableRelease = CliRun.execute("inspect", "--kernel-release", "latest", file.toString());

        assertThat(deviating.exitCode()).isZero();
        assertThat(deviating.out()).contains("abi         3 deviations (missing symbols checked for kernel 6.12)");
        assertThat(unreadableRelease.exitCode()).isEqualTo(2);
        assertThat(unreadableRelease.err()).contains("--kernel-release must start with MAJOR.MINOR");
    }

    @Test
    void jsonOfABigEndianElf32ImageDescribesItsHeaderAndSymbols() throws Exception {
        byte[] bytes = ElfImageBuilder.elf32(ByteOrder.BIG_ENDIAN, ElfImageBuilder.EM_S390)
                .soname("linux-vdso32.so.1").versions("LINUX_2.6.29")
                .symbol(SymbolSpec.function("__kernel_gettimeofday", "LINUX_2.6.29").size(0x40))
                .symbol(SymbolSpec.function("number_of_the_beast", "LINUX_2.6.29").hiddenVersion().size(666))
                .build().bytes();

        JsonNode json = inspectJson(bytes);

        assertThat(json.get("sha256").asString())
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        assertThat(json.get("size").asInt()).isEqualTo(bytes.length);
        assertThat(json.get("elfClass").asInt()).isEqualTo(32);
        assertThat(json.get("byteOrder").asString()).isEqualTo("BIG_ENDIAN");
        assertThat(json.get("machine").asInt()).isEqualTo(ElfImageBuilder.EM_S390);
        assertThat(json.get("arch").asString()).isEqualTo("s390");
        assertThat(json.get("soname").asString()).isEqualTo("linux-vdso32.so.1");
        assertThat(json.get("buildId").isNull()).isTrue();
        assertThat(json.get("versions").toString()).isEqualTo("[\"LINUX_2.6.29\"]");
        JsonNode beast = json.get("symbols").get(1);
        assertThat(beast.get("name").asString()).isEqualTo("number_of_the_beast");
        assertThat(beast.get("version").asString()).isEqualTo("LINUX_2.6.29");
        assertThat(beast.get("hidden").asBoolean()).isTrue();
        assertThat(beast.get("type").asString()).isEqualTo("FUNC");
        assertThat(beast.get("binding").asString()).isEqualTo("GLOBAL");
        assertThat(beast.get("size").asLong()).isEqualTo(666);
    }

    @Test
    void jsonOfAPaddedDumpWithHiddenBytesReportsTheAnomaly() throws Exception {
        byte[] bytes = ElfImageBuilder.x86_64Vdso().pagePadding(4096).trailingBytes(new byte[] {(byte) 0xcc}).build()
                .bytes();

        JsonNode json = inspectJson(bytes);

        assertThat(json.get("buildId").asString()).isEqualTo("534aa0082796040cc1c2756dccbc716c38190a27");
        assertThat(json.get("anomalies").findValuesAsString("kind")).contains("HIDDEN_BYTES");
    }

    @Test
    void jsonOfAnUnversionedImageGivesNullVersions() throws Exception {
        JsonNode json = inspectJson(ElfImageBuilder.elf64(ByteOrder.LITTLE_ENDIAN, ElfImageBuilder.EM_AARCH64)
                .symbol(SymbolSpec.function("__kernel_clock_gettime", null)).build().bytes());

        assertThat(json.get("versions").isEmpty()).isTrue();
        assertThat(json.get("symbols").get(0).get("version").isNull()).isTrue();
        assertThat(json.get("arch").asString()).isEqualTo("aarch64");
    }

    @Test
    void summaryOfTheLiveVdsoNamesItsAddressAndExports() {
        CliRun run = CliRun.execute("inspect");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).containsPattern("image +live vDSO at 0x[0-9a-f]+")
                .containsPattern("sha256 +[0-9a-f]{64}")
                .contains("soname      linux-vdso.so.1")
                .containsPattern("FUNC +(GLOBAL|WEAK) .*clock_gettime")
                .containsPattern("abi +.*\\(missing symbols checked for kernel [0-9]+\\.[0-9]+\\S*\\)");
    }
}
