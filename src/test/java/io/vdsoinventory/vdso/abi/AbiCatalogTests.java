package io.vdsoinventory.vdso.abi;

import static io.vdsoinventory.vdso.abi.Symbols.STB_GLOBAL;
import static io.vdsoinventory.vdso.abi.Symbols.STB_LOCAL;
import static io.vdsoinventory.vdso.abi.Symbols.STB_WEAK;
import static io.vdsoinventory.vdso.abi.Symbols.function;
import static io.vdsoinventory.vdso.abi.Symbols.global;
import static io.vdsoinventory.vdso.abi.Symbols.nullSymbol;
import static io.vdsoinventory.vdso.abi.Symbols.undefined;
import static io.vdsoinventory.vdso.abi.Symbols.versionNode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.vdsoinventory.elf.ElfClass;
import io.vdsoinventory.elf.ElfSymbol;
import io.vdsoinventory.elf.SymbolBinding;
import io.vdsoinventory.vdso.Arch;
import io.vdsoinventory.vdso.abi.KernelLinkerScripts.Script;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AbiCatalogTests {

    private final AbiCatalog catalog = AbiCatalog.load();

    @Test
    void loadWhenCalledTwiceReturnsTheSameCatalog() {
        assertThat(AbiCatalog.load()).isSameAs(catalog);
    }

    @Test
    void entriesCoverEveryAbiNamedInIssue4() {
        assertThat(catalog.entries()).extracting(AbiEntry::id).containsExactlyInAnyOrder(
                "x86_64", "x32", "i386", "aarch64", "arm64-compat", "arm", "ppc64", "ppc32", "s390x",
                "s390-compat", "riscv64", "riscv32", "riscv32-compat", "loongarch64", "mips-o32", "mips-n32",
                "mips-n64");
    }

    @Test
    void forArchWhenHeaderNamesTheArchFindsItsAbis() {
        // the keys come from the ELF header alone, as io.vdsoinventory.vdso.Arch computes them
        assertThat(ids(Arch.name(62, ElfClass.ELFCLASS64))).containsExactly("x86_64");
        assertThat(ids(Arch.name(62, ElfClass.ELFCLASS32))).containsExactly("x32");
        assertThat(ids(Arch.name(3, ElfClass.ELFCLASS32))).containsExactly("i386");
        assertThat(ids(Arch.name(183, ElfClass.ELFCLASS64))).containsExactly("aarch64");
        assertThat(ids(Arch.name(40, ElfClass.ELFCLASS32))).containsExactlyInAnyOrder("arm64-compat", "arm");
        assertThat(ids(Arch.name(21, ElfClass.ELFCLASS64))).containsExactly("ppc64");
        assertThat(ids(Arch.name(20, ElfClass.ELFCLASS32))).containsExactly("ppc32");
        assertThat(ids(Arch.name(22, ElfClass.ELFCLASS64))).containsExactly("s390x");
        assertThat(ids(Arch.name(22, ElfClass.ELFCLASS32))).containsExactly("s390-compat");
        assertThat(ids(Arch.name(243, ElfClass.ELFCLASS64))).containsExactly("riscv64");
        assertThat(ids(Arch.name(243, ElfClass.ELFCLASS32))).containsExactlyInAnyOrder("riscv32", "riscv32-compat");
        assertThat(ids(Arch.name(258, ElfClass.ELFCLASS64))).containsExactly("loongarch64");
        assertThat(ids(Arch.name(8, ElfClass.ELFCLASS32))).containsExactlyInAnyOrder("mips-o32", "mips-n32");
        assertThat(ids(Arch.name(8, ElfClass.ELFCLASS64))).containsExactly("mips-n64");
        assertThat(catalog.forArch("em-1234")).isEmpty();
    }

    static Stream<Script> linkerScripts() {
        return KernelLinkerScripts.ALL.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("linkerScripts")
    void checkWhenImageExportsItsLinkerScriptFindsNoDeviation(Script script) {
        List<String> versions = new ArrayList<>();
        versions.add(script.soname());
        versions.addAll(script.symbolsByNode().keySet());
        List<ElfSymbol> symbols = new ArrayList<>();
        symbols.add(nullSymbol());
        script.symbolsByNode().forEach((node, names) -> {
            symbols.add(versionNode(node));
            names.forEach(name -> symbols.add(global(name, node)));
        });

        assertThat(catalog.check(script.arch(), versions, symbols)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("linkerScripts")
    void abiEntryListsEveryNameOfItsOwnLinkerScript(Script script) {
        // the union over shared arch keys must not hide a symbol missing from one ABI's own entry
        AbiEntry entry = catalog.entries().stream().filter(e -> e.id().equals(script.abiId())).findFirst().orElseThrow();
        assertThat(entry.archKeys()).contains(script.arch());
        assertThat(entry.sonames()).contains(script.soname());
        assertThat(entry.versionNodes()).containsAll(script.symbolsByNode().keySet());
        script.symbolsByNode().forEach((node, names) -> assertThat(
                entry.symbols().stream().filter(s -> s.versionNode().equals(node)).map(AbiSymbol::name))
                .as("%s node %s (%s)", script.abiId(), node, script.file())
                .containsAll(names));
    }

    @Test
    void everyCataloguedAbiHasALinkerScriptFixture() {
        assertThat(KernelLinkerScripts.ALL.stream().map(Script::abiId).collect(Collectors.toSet()))
                .containsExactlyInAnyOrderElementsOf(catalog.entries().stream().map(AbiEntry::id).toList());
    }

    /** A real image of /work/shared/vdso-corpus: its verdef names and its readelf --dyn-syms (Bind, Ndx, Name). */
    record CorpusImage(String folder, String arch, List<String> versions, String dynsyms) {

        List<ElfSymbol> symbols() {
            List<ElfSymbol> symbols = new ArrayList<>(List.of(nullSymbol()));
            for (String row : dynsyms.strip().split("\n")) {
                String[] columns = row.strip().split("\\s+");
                SymbolBinding binding = columns[0].equals("WEAK") ? STB_WEAK : STB_GLOBAL;
                if (columns[1].equals("ABS")) {
                    symbols.add(versionNode(columns[2]));
                } else {
                    String[] nameAndVersion = columns[2].split("@@");
                    symbols.add(function(nameAndVersion[0], binding, Integer.parseInt(columns[1]), nameAndVersion[1]));
                }
            }
            return symbols;
        }

        @Override
        public String toString() {
            return folder;
        }
    }

    static Stream<CorpusImage> corpusImages() {
        return Stream.of(
                new CorpusImage("linux-6.1-x86_64-vdso64", "x86_64", List.of("linux-vdso.so.1", "LINUX_2.6"), """
                        WEAK   11  clock_gettime@@LINUX_2.6
                        GLOBAL 11  __vdso_gettimeofday@@LINUX_2.6
                        WEAK   11  clock_getres@@LINUX_2.6
                        GLOBAL 11  __vdso_clock_getres@@LINUX_2.6
                        WEAK   11  gettimeofday@@LINUX_2.6
                        GLOBAL 11  __vdso_time@@LINUX_2.6
                        WEAK   11  time@@LINUX_2.6
                        GLOBAL 11  __vdso_clock_gettime@@LINUX_2.6
                        GLOBAL ABS LINUX_2.6
                        GLOBAL 11  __vdso_getcpu@@LINUX_2.6
                        WEAK   11  getcpu@@LINUX_2.6
                        """),
                new CorpusImage("live-6.18.44-fc-v657-x86_64", "x86_64", List.of("linux-vdso.so.1", "LINUX_2.6"), """
                        WEAK   12  clock_gettime@@LINUX_2.6
                        GLOBAL 12  __vdso_gettimeofday@@LINUX_2.6
                        WEAK   12  clock_getres@@LINUX_2.6
                        GLOBAL 12  __vdso_clock_getres@@LINUX_2.6
                        WEAK   12  gettimeofday@@LINUX_2.6
                        GLOBAL 12  __vdso_time@@LINUX_2.6
                        GLOBAL 12  __vdso_getrandom@@LINUX_2.6
                        WEAK   12  time@@LINUX_2.6
                        GLOBAL 12  __vdso_clock_gettime@@LINUX_2.6
                        GLOBAL ABS LINUX_2.6
                        GLOBAL 12  __vdso_getcpu@@LINUX_2.6
                        WEAK   12  getcpu@@LINUX_2.6
                        WEAK   12  getrandom@@LINUX_2.6
                        """),
                new CorpusImage("linux-6.1-x86_64-vdso32", "i386",
                        List.of("linux-gate.so.1", "LINUX_2.6", "LINUX_2.5"), """
                        GLOBAL 12  __kernel_vsyscall@@LINUX_2.5
                        GLOBAL 12  __vdso_gettimeofday@@LINUX_2.6
                        GLOBAL 12  __vdso_clock_getres@@LINUX_2.6
                        GLOBAL 12  __vdso_clock_gettime64@@LINUX_2.6
                        GLOBAL 12  __kernel_sigreturn@@LINUX_2.5
                        GLOBAL 12  __vdso_time@@LINUX_2.6
                        GLOBAL ABS LINUX_2.5
                        GLOBAL 12  __kernel_rt_sigreturn@@LINUX_2.5
                        GLOBAL 12  __vdso_clock_gettime@@LINUX_2.6
                        GLOBAL ABS LINUX_2.6
                        """),
                new CorpusImage("linux-6.1-arm64-vdso", "aarch64", List.of("linux-vdso.so.1", "LINUX_2.6.39"), """
                        GLOBAL ABS LINUX_2.6.39
                        GLOBAL 7   __kernel_clock_getres@@LINUX_2.6.39
                        GLOBAL 7   __kernel_rt_sigreturn@@LINUX_2.6.39
                        GLOBAL 7   __kernel_gettimeofday@@LINUX_2.6.39
                        GLOBAL 7   __kernel_clock_gettime@@LINUX_2.6.39
                        """));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpusImages")
    void checkWhenRealCorpusImageFindsNoDeviation(CorpusImage image) {
        assertThat(image.symbols()).hasSizeGreaterThan(5);
        assertThat(catalog.check(image.arch(), image.versions(), image.symbols())).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpusImages")
    void checkWithTheCorpusImagesReleaseFindsNoMissingSymbol(CorpusImage image) {
        KernelVersion release = KernelVersion.ofRelease(image.folder().replaceFirst("^[a-z]+-", "")).orElseThrow();

        assertThat(catalog.check(image.arch(), image.versions(), image.symbols(), release)).isEmpty();
    }

    @Test
    void checkWithAReleaseReportsUngatedSymbolsOfThatReleaseOnlyWithTheirLinkerScript() {
        List<ElfSymbol> onlyClockGettime = List.of(versionNode("LINUX_2.6"), global("__vdso_clock_gettime", "LINUX_2.6"),
                function("clock_gettime", STB_WEAK, 11, "LINUX_2.6"));

        List<AbiDeviation> deviations = catalog.check("x86_64", List.of("LINUX_2.6"), onlyClockGettime,
                KernelVersion.parse("5.2"));

        // clock_getres (5.3), getrandom (6.11), SGX and the futex helpers (gated) are not expected of 5.2
        assertThat(deviations).extracting(AbiDeviation::subject).containsExactly("__vdso_gettimeofday",
                "gettimeofday", "__vdso_getcpu", "getcpu", "__vdso_time", "time");
        assertThat(deviations).allSatisfy(deviation -> {
            assertThat(deviation.kind()).isEqualTo(AbiDeviationKind.MISSING_SYMBOL);
            assertThat(deviation.source()).startsWith("arch/x86/entry/vdso/vdso64/vdso64.lds.S@");
        });
    }

    @Test
    void checkWithAReleaseExpectsOfAnAmbiguousArchOnlyWhatEveryCandidateExports() {
        // an EM_ARM image may be native arm or arm64's compat vDSO: only names both export unconditionally count
        List<String> expected = catalog.check("arm", List.of("LINUX_2.6"), List.of(), KernelVersion.parse("6.1"))
                .stream().map(AbiDeviation::subject).toList();

        for (String name : expected) {
            for (AbiEntry entry : catalog.forArch("arm")) {
                assertThat(entry.symbols()).as("%s in %s", name, entry.id())
                        .anySatisfy(symbol -> {
                            assertThat(symbol.name()).isEqualTo(name);
                            assertThat(symbol.gate()).isEmpty();
                        });
            }
        }
        assertThat(expected).isNotEmpty();
        assertThat(catalog.forArch("arm")).hasSizeGreaterThan(1);
    }

    @Test
    void checkWithAReleaseSkipsSymbolsRemovedByThen() {
        List<String> before = catalog.check("ppc64", List.of(), List.of(), KernelVersion.parse("5.10")).stream()
                .map(AbiDeviation::subject).toList();
        List<String> after = catalog.check("ppc64", List.of(), List.of(), KernelVersion.parse("5.11")).stream()
                .map(AbiDeviation::subject).toList();

        assertThat(before).contains("__kernel_datapage_offset");
        assertThat(after).doesNotContain("__kernel_datapage_offset");
    }

    @Test
    void checkWhenX8664ImageExportsNumberOfTheBeastReportsUnknownSymbol() {
        List<ElfSymbol> symbols = List.of(nullSymbol(), versionNode("LINUX_2.6"),
                global("__vdso_clock_gettime", "LINUX_2.6"), global("number_of_the_beast", "LINUX_2.6"));

        List<AbiDeviation> deviations = catalog.check("x86_64", List.of("LINUX_2.6"), symbols);

        assertThat(deviations).singleElement().satisfies(deviation -> {
            assertThat(deviation.kind()).isEqualTo(AbiDeviationKind.UNKNOWN_SYMBOL);
            assertThat(deviation.subject()).isEqualTo("number_of_the_beast");
            assertThat(deviation.detail()).contains("number_of_the_beast").contains("x86_64");
        });
    }

    @Test
    void checkWhenAarch64ImageDefinesLinux26ReportsUnexpectedVersionOnce() {
        List<ElfSymbol> symbols = List.of(nullSymbol(), versionNode("LINUX_2.6.39"), versionNode("LINUX_2.6"),
                global("__kernel_clock_gettime", "LINUX_2.6.39"));

        List<AbiDeviation> deviations = catalog.check("aarch64",
                List.of("linux-vdso.so.1", "LINUX_2.6.39", "LINUX_2.6"), symbols);

        assertThat(deviations).singleElement().satisfies(deviation -> {
            assertThat(deviation.kind()).isEqualTo(AbiDeviationKind.UNEXPECTED_VERSION);
            assertThat(deviation.subject()).isEqualTo("LINUX_2.6");
            assertThat(deviation.detail()).contains("LINUX_2.6").contains("aarch64").contains("LINUX_2.6.39");
        });
    }

    @Test
    void checkWhenAarch64ImageCarriesX8664SymbolsReportsEachAsUnknown() {
        Script x8664 = KernelLinkerScripts.ALL.get(0);
        List<String> names = x8664.symbolsByNode().get("LINUX_2.6");
        List<ElfSymbol> symbols = new ArrayList<>(List.of(nullSymbol(), versionNode("LINUX_2.6.39")));
        names.forEach(name -> symbols.add(global(name, "LINUX_2.6.39")));

        List<AbiDeviation> deviations = catalog.check("aarch64", List.of("LINUX_2.6.39"), symbols);

        assertThat(deviations).allSatisfy(deviation -> {
            assertThat(deviation.kind()).isEqualTo(AbiDeviationKind.UNKNOWN_SYMBOL);
            assertThat(deviation.detail()).contains(deviation.subject()).contains("aarch64");
        });
        assertThat(deviations).extracting(AbiDeviation::subject).containsExactlyElementsOf(names);
    }

    @Test
    void checkWhenSymbolIsUnderAnotherNodeOfTheArchReportsUnexpectedVersion() {
        List<ElfSymbol> symbols = List.of(global("__vdso_time", "LINUX_2.5"), global("__kernel_vsyscall", "LINUX_2.5"));

        List<AbiDeviation> deviations = catalog.check("i386", List.of("LINUX_2.6", "LINUX_2.5"), symbols);

        assertThat(deviations).singleElement().satisfies(deviation -> {
            assertThat(deviation.kind()).isEqualTo(AbiDeviationKind.UNEXPECTED_VERSION);
            assertThat(deviation.subject()).isEqualTo("__vdso_time@LINUX_2.5");
            assertThat(deviation.detail()).contains("__vdso_time").contains("LINUX_2.6");
        });
    }

    @Test
    void checkWhenSymbolIsUndefinedOrLocalFindsNoDeviation() {
        List<ElfSymbol> symbols = List.of(undefined("number_of_the_beast"),
                function("number_of_the_beast", STB_LOCAL, 11, null));

        assertThat(catalog.check("x86_64", List.of("LINUX_2.6"), symbols)).isEmpty();
    }

    @Test
    void checkWhenUnknownSymbolIsWeakOrUnversionedStillReportsIt() {
        List<ElfSymbol> symbols = List.of(function("backdoor", STB_WEAK, 11, "LINUX_2.6"),
                function("hook", STB_GLOBAL, 11, null));

        assertThat(catalog.check("x86_64", List.of("LINUX_2.6"), symbols))
                .extracting(AbiDeviation::kind, AbiDeviation::subject)
                .containsExactly(
                        tuple(AbiDeviationKind.UNKNOWN_SYMBOL, "backdoor"),
                        tuple(AbiDeviationKind.UNKNOWN_SYMBOL, "hook"));
    }

    @Test
    void checkWhenArmImageMixesNativeAndCompatSymbolsAcceptsTheUnionOnly() {
        // an EM_ARM ELF32 image may be either ABI, so both sets pass; an arm64-native name does not
        List<ElfSymbol> symbols = List.of(global("__vdso_clock_gettime64", "LINUX_2.6"),
                global("__kernel_sigreturn_thumb", "LINUX_2.6"), global("__kernel_getrandom", "LINUX_2.6"));

        assertThat(catalog.check("arm", List.of("LINUX_2.6"), symbols))
                .extracting(AbiDeviation::kind, AbiDeviation::subject)
                .containsExactly(tuple(AbiDeviationKind.UNKNOWN_SYMBOL,
                        "__kernel_getrandom"));
    }

    @Test
    void checkWhenArchIsNotCataloguedReportsOnlyThat() {
        List<AbiDeviation> deviations = catalog.check("em-1234", List.of("LINUX_9"),
                List.of(global("number_of_the_beast", "LINUX_9")));

        assertThat(deviations).singleElement().satisfies(deviation -> {
            assertThat(deviation.kind()).isEqualTo(AbiDeviationKind.UNCATALOGUED_ARCH);
            assertThat(deviation.subject()).isEqualTo("em-1234");
            assertThat(deviation.detail()).contains("em-1234").contains("not in the vDSO ABI catalog");
        });
    }

    @Test
    void everyEntryOfTheDataFileNamesItsSource() {
        for (AbiEntry entry : catalog.entries()) {
            assertThat(entry.source()).as("source of ABI %s", entry.id()).isNotBlank().contains("arch/");
            assertThat(entry.symbols()).as("symbols of ABI %s", entry.id()).isNotEmpty();
            for (AbiSymbol symbol : entry.symbols()) {
                assertThat(symbol.source()).as("source of %s/%s", entry.id(), symbol.name()).isNotBlank();
                assertThat(symbol.sinceSource()).as("since source of %s/%s", entry.id(), symbol.name()).isNotBlank();
                assertThat(entry.versionNodes()).contains(symbol.versionNode());
            }
        }
    }

    @Test
    void verifiedReleasesMatchWhatTheCorpusImagesShow() {
        // live 6.18 exports getrandom, the 6.1 build does not: the catalog's "since" must sit between them
        assertThat(symbol("x86_64", "__vdso_getrandom").since())
                .isGreaterThan(KernelVersion.parse("6.1")).isLessThanOrEqualTo(KernelVersion.parse("6.18"));
        assertThat(symbol("aarch64", "__kernel_getrandom").since()).isGreaterThan(KernelVersion.parse("6.1"));
        assertThat(symbol("x86_64", "__vdso_sgx_enter_enclave").gate()).isEqualTo("CONFIG_X86_SGX");
        assertThat(symbol("ppc64", "__kernel_datapage_offset").removedIn()).isPresent();
    }

    private AbiSymbol symbol(String abiId, String name) {
        return catalog.entries().stream().filter(e -> e.id().equals(abiId)).flatMap(e -> e.symbols().stream())
                .filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    private List<String> ids(String arch) {
        return catalog.forArch(arch).stream().map(AbiEntry::id).toList();
    }
}
