package io.vdsoinventory.elf;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Whatever the bytes, parsing and every accessor either work or throw {@link ElfFormatException}: no other exception,
 * no error, no hang. Stored inputs (images written by ElfImageBuilder, plus every crash the fuzzer found) replay in
 * every test run; {@code JAZZER_FUZZ=1} fuzzes from them.
 */
class ElfFileFuzzTests {

    private static final Path INPUTS = Path.of("src/test/resources/io/vdsoinventory/elf/ElfFileFuzzTestsInputs",
            "parseAndReadEverything");

    @FuzzTest(maxDuration = "2m")
    void parseAndReadEverything(byte[] input) {
        try {
            readEverything(ElfFile.parse(input));
        } catch (ElfFormatException expected) {
            assertThat(expected.reason()).isNotBlank();
            assertThat(expected.offset()).isGreaterThanOrEqualTo(0);
        }
        for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
            try {
                ElfNote.parseAll(input, order).forEach(note -> assertThat(note.descriptor().length)
                        .isLessThanOrEqualTo(input.length));
            } catch (ElfFormatException expected) {
                assertThat(expected.reason()).isNotBlank();
            }
        }
    }

    @Test
    void storedInputsAreValidImagesToStartFrom() throws IOException, ElfFormatException {
        List<Path> seeds;
        try (Stream<Path> files = Files.list(INPUTS)) {
            seeds = files.filter(f -> f.getFileName().toString().startsWith("seed-")).sorted().toList();
        }
        assertThat(seeds).hasSizeGreaterThanOrEqualTo(8);
        for (Path seed : seeds) {
            ElfFile elf = ElfFile.parse(Files.readAllBytes(seed));
            assertThat(elf.dynamicSymbols()).as(seed.toString()).isNotEmpty();
        }
    }

    private static void readEverything(ElfFile elf) {
        assertThat(elf.header()).isNotNull();
        assertThat(elf.fileExtent()).isBetween(0L, (long) elf.size());
        for (ProgramHeader segment : elf.programHeaders()) {
            assertThat(segment.type().name()).isNotEmpty();
            elf.fileOffsetOf(segment.virtualAddress())
                    .ifPresent(offset -> assertThat(offset).isBetween(0L, (long) elf.size()));
        }
        for (SectionHeader section : elf.sections()) {
            assertThat(elf.contents(section).length).isLessThanOrEqualTo(elf.size());
            assertThat(elf.section(section.name())).isPresent();
        }
        elf.sectionProblem().ifPresent(problem -> assertThat(problem.reason()).isNotBlank());
        elf.dynamicEntries().forEach(entry -> assertThat(entry.tag().name()).isNotEmpty());
        for (ElfSymbol symbol : elf.dynamicSymbols()) {
            assertThat(symbol.index()).isPositive();
            assertThat(symbol.type().readelfName() + symbol.binding().readelfName()
                    + symbol.visibility().readelfName()).isNotEmpty();
        }
        assertThat(elf.versionNames()).hasSizeLessThanOrEqualTo(elf.versionDefinitions().size());
        elf.soname().ifPresent(name -> assertThat(name.length()).isLessThanOrEqualTo(elf.size()));
        elf.notes().forEach(note -> assertThat(note.descriptorHex()).hasSize(2 * note.descriptor().length));
        elf.buildId().ifPresent(id -> assertThat(id).matches("[0-9a-f]*"));
        elf.sysvHashSymbolCount().ifPresent(count -> assertThat(count).isNotNegative());
        elf.gnuHashSymbolCount().ifPresent(count -> assertThat(count).isNotNegative());
    }
}
