package io.vdsoinventory.vdso;

import static io.vdsoinventory.testing.AlternativesImage.LFENCE_RDTSC;
import static io.vdsoinventory.testing.AlternativesImage.RDPID;
import static io.vdsoinventory.testing.AlternativesImage.RDTSCP;
import static io.vdsoinventory.testing.AlternativesImage.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vdsoinventory.elf.ElfFormatException;
import io.vdsoinventory.elf.ElfSymbol;
import io.vdsoinventory.testing.AlternativesImage;
import io.vdsoinventory.testing.AlternativesImage.Layout;
import io.vdsoinventory.testing.AlternativesImage.Site;
import io.vdsoinventory.testing.ElfImageBuilder;
import io.vdsoinventory.testing.ElfImageBuilder.SymbolSpec;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class VdsoImageTests {

    @Test
    void analyzeWhenPlainX86ImageReportsIdentitiesAndSymbols() throws Exception {
        ElfImageBuilder.Image image = ElfImageBuilder.x86_64Vdso().build();

        VdsoImage vdso = VdsoImage.analyze(image.bytes());

        assertThat(vdso.sha256()).isEqualTo(sha256(image.bytes()));
        assertThat(vdso.normalizedSha256()).isEqualTo(sha256(image.bytes()));   // no sites, no padding
        assertThat(vdso.size()).isEqualTo(image.bytes().length);
        assertThat(vdso.elfExtent()).isEqualTo(image.elfExtent());
        assertThat(vdso.elfClass()).isEqualTo(64);
        assertThat(vdso.byteOrder()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
        assertThat(vdso.machine()).isEqualTo(62);
        assertThat(vdso.arch()).isEqualTo("x86_64");
        assertThat(vdso.soname()).contains("linux-vdso.so.1");
        assertThat(vdso.buildId()).contains("534aa0082796040cc1c2756dccbc716c38190a27");
        assertThat(vdso.versions()).containsExactly("LINUX_2.6");
        assertThat(vdso.symbols()).extracting(ElfSymbol::name).contains("__vdso_clock_gettime", "time", "LINUX_2.6");
        assertThat(vdso.patchSites()).isEmpty();
        assertThat(vdso.anomalies()).isEmpty();
    }

    @Test
    void analyzeWhenExtraExportedFunctionListsIt() throws Exception {
        byte[] bytes = ElfImageBuilder.x86_64Vdso()
                .symbol(SymbolSpec.function("number_of_the_beast", "LINUX_2.6")).build().bytes();

        VdsoImage vdso = VdsoImage.analyze(bytes);

        assertThat(vdso.symbols()).filteredOn(s -> s.name().equals("number_of_the_beast"))
                .singleElement().satisfies(s -> {
                    assertThat(s.version()).isEqualTo("LINUX_2.6");
                    assertThat(s.isDefined()).isTrue();
                });
    }

    @ParameterizedTest
    @EnumSource(value = Layout.class, names = {"X86_12", "X86_14"})
    void analyzeWhenBuildDirectoryImageFindsEverySiteHoldingItsOriginal(Layout layout) throws Exception {
        ElfImageBuilder.Image image = AlternativesImage.x86(layout);

        VdsoImage vdso = VdsoImage.analyze(image.bytes());

        long text = image.section(".text").offset();
        assertThat(vdso.patchSites()).extracting(PatchSite::offset)
                .containsExactly(text + 0x10, text + 0x40, text + 0x70, text + 0xa0);
        assertThat(vdso.patchSites()).extracting(PatchSite::length).containsExactly(5, 5, 5, 4);
        assertThat(vdso.patchSites()).extracting(PatchSite::content).containsOnly(PatchSite.Content.OTHER);
        assertThat(vdso.anomalies()).isEmpty();
        assertThat(vdso.normalizedSha256()).isNotEqualTo(vdso.sha256());
    }

    @ParameterizedTest
    @EnumSource(value = Layout.class, names = {"X86_12", "X86_14"})
    void normalizedSha256WhenSameBuildPatchedForDifferentCpusIsTheSame(Layout layout) throws Exception {
        ElfImageBuilder.Image image = AlternativesImage.x86(layout);
        byte[] modernCpu = AlternativesImage.bootedOn(image, site -> site.length() == 5 ? RDTSCP : RDPID);
        byte[] olderCpu = AlternativesImage.bootedOn(image, site -> site.length() == 5 ? LFENCE_RDTSC : null);

        VdsoImage buildDirectory = VdsoImage.analyze(image.bytes());
        VdsoImage modern = VdsoImage.analyze(modernCpu);
        VdsoImage older = VdsoImage.analyze(olderCpu);

        assertThat(List.of(modern.sha256(), older.sha256(), buildDirectory.sha256())).doesNotHaveDuplicates();
        assertThat(modern.normalizedSha256()).isEqualTo(buildDirectory.normalizedSha256())
                .isEqualTo(older.normalizedSha256());
        assertThat(modern.patchSites()).extracting(PatchSite::content).containsOnly(PatchSite.Content.REPLACEMENT);
        assertThat(older.patchSites()).extracting(PatchSite::content).containsExactly(PatchSite.Content.REPLACEMENT,
                PatchSite.Content.REPLACEMENT, PatchSite.Content.REPLACEMENT, PatchSite.Content.OTHER);
        assertThat(modern.anomalies()).isEmpty();
        assertThat(older.anomalies()).isEmpty();
    }

    @Test
    void normalizedSha256WhenPageAlignedDumpOfTheMappingEqualsTheFile() throws Exception {
        ElfImageBuilder.Image file = AlternativesImage.x86(Layout.X86_14);
        byte[] mapping = Arrays.copyOf(AlternativesImage.bootedOn(file, site -> site.length() == 5 ? RDTSCP : null),
                8192);

        VdsoImage dumped = VdsoImage.analyze(mapping);

        assertThat(dumped.size()).isEqualTo(8192);
        assertThat(dumped.normalizedSha256()).isEqualTo(VdsoImage.analyze(file.bytes()).normalizedSha256());
        assertThat(dumped.anomalies()).isEmpty();
    }

    @Test
    void normalizedSha256WhenKernelRewroteTheOriginalsPaddingIntoLongNopsIsTheSame() throws Exception {
        ElfImageBuilder.Image image = AlternativesImage.x86(Layout.X86_12);
        // optimize_nops() turns "0f 31 90 90 90" into "0f 31 0f 1f 00" where no replacement applies
        byte[] optimized = AlternativesImage.bootedOn(image, site -> site.length() == 5 ? bytes(0x0f, 0x31) : null);

        VdsoImage vdso = VdsoImage.analyze(optimized);

        assertThat(vdso.normalizedSha256()).isEqualTo(VdsoImage.analyze(image.bytes()).normalizedSha256());
        assertThat(vdso.anomalies()).isEmpty();
    }

    @Test
    void normalizedSha256WhenCodeOutsideThePatchSitesChangesChangesToo() throws Exception {
        ElfImageBuilder.Image image = AlternativesImage.x86(Layout.X86_14);
        String original = VdsoImage.analyze(image.bytes()).normalizedSha256();
        long text = image.section(".text").offset();

        for (long offset : new long[] {text, text + 0x15, text + 0xbf, image.section(".altinstructions").offset(),
                image.section(".altinstr_replacement").offset(), 0x30}) {
            byte[] changed = image.copy();
            changed[(int) offset] ^= 0x01;
            assertThat(VdsoImage.analyze(changed).normalizedSha256()).as("byte at 0x%x changed", offset)
                    .isNotEqualTo(original);
        }
    }

    @Test
    void anomaliesWhenOnePatchSiteHoldsSomethingItsTwinsDoNotNameIt() throws Exception {
        ElfImageBuilder.Image image = AlternativesImage.x86(Layout.X86_14);
        byte[] booted = AlternativesImage.bootedOn(image, site -> site.length() == 5 ? RDTSCP : RDPID);
        Site second = AlternativesImage.x86Sites().get(1);
        byte[] jumpAway = bytes(0xe9, 0x00, 0x10, 0x00, 0x00);    // jmp to code hidden elsewhere
        byte[] tampered = AlternativesImage.patched(image, booted, second, jumpAway, bytes());

        VdsoImage vdso = VdsoImage.analyze(tampered);

        long siteOffset = image.section(".text").offset() + second.textOffset();
        assertThat(vdso.anomalies()).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(AnomalyKind.UNKNOWN_PATCH_SITE_CONTENT);
            assertThat(a.detail()).contains(String.format("0x%x", siteOffset), "e900100000",
                    "2 twin sites", "0f01f9");
        });
        assertThat(vdso.normalizedSha256()).isEqualTo(VdsoImage.analyze(image.bytes()).normalizedSha256());
    }

    @Test
    void anomaliesWhenAlternativesTableFitsNoLayoutSayWhyAndHashEverything() throws Exception {
        byte[] garbage = new byte[30];
        Arrays.fill(garbage, (byte) 0x7f);
        ElfImageBuilder.Image image = ElfImageBuilder.x86_64Vdso()
                .section(".altinstructions", garbage, ElfImageBuilder.SHF_ALLOC).build();

        VdsoImage vdso = VdsoImage.analyze(image.bytes());

        assertThat(vdso.patchSites()).isEmpty();
        assertThat(vdso.anomalies()).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(AnomalyKind.MALFORMED_ALTERNATIVES);
            assertThat(a.detail()).contains(".altinstructions (30 bytes)");
        });
        assertThat(vdso.normalizedSha256()).isEqualTo(vdso.sha256());
    }

    @Test
    void normalizedSha256WhenArm64SitesPatchedIsTheSame() throws Exception {
        byte[] isbMrs = bytes(0xdf, 0x3f, 0x03, 0xd5, 0x42, 0xe0, 0x3b, 0xd5);   // isb; mrs x2, cntvct_el0
        byte[] nopMrs = bytes(0x1f, 0x20, 0x03, 0xd5, 0xc2, 0xe0, 0x3b, 0xd5);   // nop; mrs x2, cntvctss_el0
        byte[] text = new byte[0x40];
        System.arraycopy(isbMrs, 0, text, 0x08, 8);
        System.arraycopy(isbMrs, 0, text, 0x20, 8);
        List<Site> sites = List.of(new Site(0x08, 8, List.of(nopMrs), 0x12), new Site(0x20, 8, List.of(nopMrs), 0x12));
        ElfImageBuilder.Image image = AlternativesImage.build(Layout.ARM64_12,
                () -> ElfImageBuilder.elf64(ByteOrder.LITTLE_ENDIAN, ElfImageBuilder.EM_AARCH64)
                        .versions("LINUX_2.6.39").hash(ElfImageBuilder.HashStyle.SYSV)
                        .symbol(SymbolSpec.function("__kernel_clock_gettime", "LINUX_2.6.39").at(0)),
                text, sites);
        byte[] patched = image.copy();
        for (Site site : sites) {
            patched = AlternativesImage.patched(image, patched, site, nopMrs, bytes());
        }

        VdsoImage original = VdsoImage.analyze(image.bytes());
        VdsoImage booted = VdsoImage.analyze(patched);

        assertThat(original.arch()).isEqualTo("aarch64");
        assertThat(booted.patchSites()).extracting(PatchSite::content).containsOnly(PatchSite.Content.REPLACEMENT);
        assertThat(booted.normalizedSha256()).isEqualTo(original.normalizedSha256());
        assertThat(booted.sha256()).isNotEqualTo(original.sha256());
        assertThat(booted.anomalies()).isEmpty();
    }

    @Test
    void anomaliesWhenBytesHiddenAfterTheElfExtentReportThem() throws Exception {
        ElfImageBuilder.Image clean = ElfImageBuilder.x86_64Vdso().pagePadding(8192).build();
        byte[] hidden = clean.copy();
        hidden[(int) clean.elfExtent() + 100] = (byte) 0xc3;
        hidden[8191] = 0x0f;

        VdsoImage vdso = VdsoImage.analyze(hidden);

        assertThat(VdsoImage.analyze(clean.bytes()).anomalies()).isEmpty();
        assertThat(vdso.anomalies()).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(AnomalyKind.HIDDEN_BYTES);
            assertThat(a.detail()).contains("2 non-zero bytes", String.format("0x%x", clean.elfExtent() + 100));
        });
        assertThat(vdso.normalizedSha256()).isEqualTo(VdsoImage.analyze(clean.bytes()).normalizedSha256());
    }

    @Test
    void anomaliesWhenLoadSegmentWritableAndExecutableReportIt() throws Exception {
        byte[] bytes = ElfImageBuilder.x86_64Vdso()
                .loadFlags(ElfImageBuilder.PF_R | ElfImageBuilder.PF_W | ElfImageBuilder.PF_X).build().bytes();

        assertThat(VdsoImage.analyze(bytes).anomalies()).extracting(Anomaly::kind)
                .containsExactly(AnomalyKind.WRITABLE_EXECUTABLE_SEGMENT);
    }

    @Test
    void anomaliesWhenSymbolLiesOutsideItsSectionNameIt() throws Exception {
        byte[] bytes = ElfImageBuilder.x86_64Vdso()
                .symbol(SymbolSpec.function("__vdso_stray", "LINUX_2.6").at(0x10000)).build().bytes();

        assertThat(VdsoImage.analyze(bytes).anomalies()).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(AnomalyKind.SYMBOL_OUTSIDE_SECTION);
            assertThat(a.detail()).contains("__vdso_stray", ".text");
        });
    }

    @Test
    void analyzeWhenBigEndianElf32ReadsIt() throws Exception {
        byte[] bytes = ElfImageBuilder.elf32(ByteOrder.BIG_ENDIAN, 20).versions("LINUX_2.6.15")
                .soname("linux-vdso32.so.1")
                .symbol(SymbolSpec.function("__kernel_clock_gettime", "LINUX_2.6.15"))
                .build().bytes();

        VdsoImage vdso = VdsoImage.analyze(bytes);

        assertThat(vdso.elfClass()).isEqualTo(32);
        assertThat(vdso.byteOrder()).isEqualTo(ByteOrder.BIG_ENDIAN);
        assertThat(vdso.arch()).isEqualTo("ppc");
        assertThat(vdso.soname()).contains("linux-vdso32.so.1");
        assertThat(vdso.anomalies()).isEmpty();
    }

    @Test
    void analyzeWhenNotElfThrowsTheFormatError() {
        assertThatThrownBy(() -> VdsoImage.analyze("not an elf image".getBytes()))
                .isInstanceOf(ElfFormatException.class);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
