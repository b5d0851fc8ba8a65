package io.vdsoinventory.elf;

/**
 * One .dynsym entry with its name and, when the image has versym + verdef, its version.
 * {@code hidden} is the versym hidden bit (readelf {@code name@VER}); otherwise a versioned symbol is the
 * default one (readelf {@code name@@VER}). Skeleton: type and binding become open value types.
 */
public record ElfSymbol(
        int index,
        String name,
        long value,
        long size,
        int type,
        int binding,
        int visibility,
        int sectionIndex,
        String version,
        boolean hidden) {
}
