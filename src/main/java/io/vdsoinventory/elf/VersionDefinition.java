package io.vdsoinventory.elf;

import java.util.List;

/**
 * One version definition (Elf_Verdef with its Elf_Verdaux names) from .gnu.version_d / DT_VERDEF.
 *
 * @param offset file offset of the Elf_Verdef entry
 * @param revision vd_version
 * @param flags vd_flags ({@link #VER_FLG_BASE}, {@link #VER_FLG_WEAK})
 * @param versionIndex vd_ndx: the value versym entries use to name this version
 * @param hash vd_hash
 * @param name the first vda_name: the version's name (the file's soname for the base entry)
 * @param parents the further vda_name entries: the versions this one inherits from
 */
public record VersionDefinition(long offset, int revision, int flags, int versionIndex, long hash, String name,
        List<String> parents) {

    public static final int VER_FLG_BASE = 0x1;
    public static final int VER_FLG_WEAK = 0x2;

    public VersionDefinition {
        parents = List.copyOf(parents);
    }

    /** The base entry names the file itself; it is not a version symbols can carry. */
    public boolean isBase() {
        return (flags & VER_FLG_BASE) != 0;
    }
}
