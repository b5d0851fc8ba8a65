package io.vdsoinventory.agent;

import io.vdsoinventory.elf.ElfFile;
import io.vdsoinventory.elf.ElfFormatException;
import io.vdsoinventory.host.CapturedVdso;
import io.vdsoinventory.host.HostReadException;
import io.vdsoinventory.host.LinuxHost;
import io.vdsoinventory.vdso.VdsoImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The image a command works on: the bytes of a FILE, or this process's live vDSO when no FILE is given.
 * {@code description} names it in output and in every error line.
 */
public record ImageSource(String description, byte[] bytes) {

    /** vDSO images are a few pages; the cap keeps a mistaken FILE argument (a disk image, /dev/zero) harmless. */
    static final int MAX_FILE_BYTES = 64 << 20;

    /** The image of {@code file}, or the live vDSO when {@code file} is null. */
    public static ImageSource of(Path file) throws CommandFailure {
        return file == null ? live() : file(file);
    }

    public static ImageSource file(Path file) throws CommandFailure {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_FILE_BYTES + 1);
            if (bytes.length > MAX_FILE_BYTES) {
                throw new CommandFailure(file + ": larger than " + MAX_FILE_BYTES + " bytes, not a vDSO image");
            }
            return new ImageSource(file.toString(), bytes);
        } catch (IOException e) {
            throw new CommandFailure("cannot read " + file + ": " + ioReason(e), e);
        }
    }

    static ImageSource live() throws CommandFailure {
        CapturedVdso vdso = captureLive();
        return new ImageSource("live vDSO at 0x" + Long.toHexString(vdso.start()), vdso.bytes());
    }

    /** This process's vDSO; a process without one (kernel booted with vdso=0) is a failure of the command. */
    public static CapturedVdso captureLive() throws CommandFailure {
        try {
            return LinuxHost.captureVdso()
                    .orElseThrow(() -> new CommandFailure("this process has no vDSO (no AT_SYSINFO_EHDR, no [vdso] "
                            + "mapping): the kernel was probably booted with vdso=0"));
        } catch (HostReadException e) {
            throw new CommandFailure("cannot capture the live vDSO: " + e.getMessage(), e);
        }
    }

    public ElfFile elf() throws CommandFailure {
        try {
            return ElfFile.parse(bytes);
        } catch (ElfFormatException e) {
            throw notElf(e);
        }
    }

    public VdsoImage analyze() throws CommandFailure {
        try {
            return VdsoImage.analyze(bytes);
        } catch (ElfFormatException e) {
            throw notElf(e);
        }
    }

    private CommandFailure notElf(ElfFormatException e) {
        return new CommandFailure(description + ": not a readable ELF image: " + e.getMessage(), e);
    }

    /** The bare I/O reason: the JDK's file system messages repeat the path(s), which the caller already names. */
    public static String ioReason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException fileSystem && fileSystem.getReason() != null) {
            return fileSystem.getReason();
        }
        return e.getMessage();
    }
}
