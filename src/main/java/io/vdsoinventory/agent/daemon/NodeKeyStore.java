package io.vdsoinventory.agent.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/** The node key the service issued at enrolment, kept in the state directory with mode 0600. */
public final class NodeKeyStore {

    private final Path file;

    public NodeKeyStore(Path stateDir) {
        this.file = stateDir.resolve("node-key");
    }

    Optional<String> load() throws IOException {
        try {
            String key = Files.readString(file, StandardCharsets.UTF_8).strip();
            return key.isEmpty() ? Optional.empty() : Optional.of(key);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    void save(String nodeKey) throws IOException {
        AtomicFile.write(file, (nodeKey + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** The service no longer knows the key (revoked, database restored): the next delivery enrols again. */
    void forget() throws IOException {
        Files.deleteIfExists(file);
    }
}
