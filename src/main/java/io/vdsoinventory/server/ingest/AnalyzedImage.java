package io.vdsoinventory.server.ingest;

import io.vdsoinventory.elf.ElfFormatException;
import io.vdsoinventory.elf.ElfSymbol;
import io.vdsoinventory.vdso.Anomaly;
import io.vdsoinventory.vdso.VdsoImage;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the service stores of an analysed image: the facts of {@link VdsoImage} in the shape of the
 * {@code images} and {@code image_symbols} rows. The one place that knows the vdso model's record layout.
 */
record AnalyzedImage(
        String normalizedSha256,
        @Nullable String buildId,
        int elfClass,
        String byteOrder,
        int machine,
        String arch,
        @Nullable String soname,
        List<String> versions,
        List<Symbol> symbols,
        List<Anomaly> anomalies) {

    /** One .dynsym entry as stored. */
    record Symbol(int index, String name, @Nullable String version, boolean hidden, boolean defined, long value,
            long size, int type, int binding, int sectionIndex) {
    }

    /** Analyses the bytes with the vdso model (it throws for anything that is not a readable ELF image). */
    static AnalyzedImage of(byte[] bytes) throws ElfFormatException {
        VdsoImage image = VdsoImage.analyze(bytes);
        return new AnalyzedImage(
                image.normalizedSha256(),
                image.buildId().orElse(null),
                image.elfClass(),
                image.byteOrderName(),
                image.machine(),
                image.arch(),
                image.soname().orElse(null),
                image.versions(),
                image.symbols().stream().map(AnalyzedImage::symbol).toList(),
                image.anomalies());
    }

    private static Symbol symbol(ElfSymbol symbol) {
        return new Symbol(symbol.index(), symbol.name(), symbol.version(), symbol.hidden(), symbol.isDefined(),
                symbol.value(), symbol.size(), symbol.type().code(), symbol.binding().code(), symbol.sectionIndex());
    }
}
