package io.vdsoinventory.host;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The host's pseudo-files, resolved under a root directory: {@code /} on a real host, a temporary directory of
 * fake files in tests (or a mounted host root when the agent runs in a container).
 */
final class HostFiles {

    static final String SELF_MAPS = "proc/self/maps";
    static final String SELF_MEM = "proc/self/mem";
    static final String SELF_STATUS = "proc/self/status";
    static final String KERNEL_NOTES = "sys/kernel/notes";
    static final String BOOT_ID = "proc/sys/kernel/random/boot_id";
    static final String MACHINE_ID = "etc/machine-id";
    static final String OS_RELEASE = "etc/os-release";
    static final String OS_RELEASE_FALLBACK = "usr/lib/os-release";

    private final Path root;

    HostFiles(Path root) {
        this.root = root;
    }

    /** The files of the running host. */
    static HostFiles system() {
        return new HostFiles(Path.of("/"));
    }

    Path path(String relative) {
        return root.resolve(relative);
    }

    /** The whole text of a file that must exist. */
    String readText(String relative) throws HostReadException {
        try {
            return Files.readString(path(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new HostReadException("cannot read " + path(relative) + ": " + e.getMessage(), e);
        }
    }

    /** The trimmed text of an optional file: empty when it is missing, unreadable or blank. */
    Optional<String> optionalText(String relative) {
        return optionalBytes(relative).map(bytes -> new String(bytes, StandardCharsets.UTF_8).trim())
                .filter(text -> !text.isEmpty());
    }

    /** The bytes of an optional file: empty when it is missing or unreadable (e.g. /sys/kernel/notes locked down). */
    Optional<byte[]> optionalBytes(String relative) {
        try {
            return Optional.of(Files.readAllBytes(path(relative)));
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    /**
     * {@code length} bytes at {@code position} of a file such as {@code /proc/self/mem}, where the position is a
     * virtual address. Fails when fewer bytes can be read (the range is not mapped readable).
     */
    byte[] readAt(String relative, long position, int length) throws HostReadException {
        if (position < 0 || position > Long.MAX_VALUE - length) {
            throw new HostReadException("0x" + Long.toUnsignedString(position, 16) + " + " + length
                    + " is beyond the positions " + path(relative) + " can be read at");
        }
        ByteBuffer buffer = ByteBuffer.allocate(length);
        try (FileChannel channel = FileChannel.open(path(relative), StandardOpenOption.READ)) {
            while (buffer.hasRemaining()) {
                int read = channel.read(buffer, position + buffer.position());
                if (read < 0) {
                    throw new HostReadException(path(relative) + " ended after " + buffer.position() + " of " + length
                            + " bytes at 0x" + Long.toHexString(position));
                }
            }
        } catch (IOException e) {
            throw new HostReadException("cannot read " + length + " bytes at 0x" + Long.toHexString(position)
                    + " of " + path(relative) + ": " + e.getMessage(), e);
        }
        return buffer.array();
    }
}
