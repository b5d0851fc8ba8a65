package io.vdsoinventory.server.security;

import io.vdsoinventory.server.VdsoProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.stereotype.Component;

/**
 * The enroll secret and the admin token. A configured value wins ({@code VDSO_ENROLL_SECRET},
 * {@code VDSO_ADMIN_TOKEN}); otherwise the first start generates them and writes them, mode 0600, to
 * {@code enroll-secret} and {@code admin-token} in the data directory, where later starts read them back. The
 * admin token reaches the database only hashed, and replaces the one an earlier start stored (rotating it
 * retires the old one). Where the files are is logged once, when they are created.
 */
@Component
@DependsOnDatabaseInitialization
public class Secrets {

    static final String ENROLL_SECRET_FILE = "enroll-secret";
    static final String ADMIN_TOKEN_FILE = "admin-token";

    private static final Logger log = LoggerFactory.getLogger(Secrets.class);

    private final String enrollSecret;
    private final String adminToken;
    private final String adminTokenName;

    Secrets(VdsoProperties properties, CredentialRepository credentials) {
        Path dataDir = properties.dataDir();
        String configuredSecret = properties.configuredEnrollSecret();
        this.enrollSecret = configuredSecret != null ? configuredSecret
                : readOrGenerate(generatedEnrollSecretFile(dataDir), "vdso_enroll_", "enroll secret");
        String configuredToken = properties.configuredAdminToken();
        this.adminToken = configuredToken != null ? configuredToken
                : readOrGenerate(dataDir.resolve(ADMIN_TOKEN_FILE), "vdso_admin_", "admin API token");
        this.adminTokenName = bootstrapName(configuredToken != null);
        credentials.storeBootstrapToken(adminToken, adminTokenName, bootstrapName(configuredToken == null));
    }

    /** Where the enroll secret is read from or generated into when none is configured. */
    public static Path generatedEnrollSecretFile(Path dataDir) {
        return dataDir.resolve(ENROLL_SECRET_FILE);
    }

    /** Whether {@code candidate} is the bootstrap admin token, which every start stores again. */
    boolean isBootstrapAdminToken(String candidate) {
        return Tokens.matches(adminToken, candidate);
    }

    private static String bootstrapName(boolean configured) {
        return "admin (" + (configured ? "VDSO_ADMIN_TOKEN" : ADMIN_TOKEN_FILE) + ")";
    }

    /** Whether {@code name} names the bootstrap admin token. */
    boolean isBootstrapAdminTokenName(String name) {
        return adminTokenName.equals(name);
    }

    /** Whether {@code candidate} is the enroll secret (compared in constant time). */
    public boolean isEnrollSecret(String candidate) {
        return Tokens.matches(enrollSecret, candidate);
    }

    private static String readOrGenerate(Path file, String prefix, String what) {
        try {
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).strip();
            }
            Files.createDirectories(file.toAbsolutePath().getParent());
            String secret = Tokens.generate(prefix);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, secret + "\n", StandardCharsets.UTF_8);
            log.info("Generated the {}: it is in {} (mode 0600)", what, file.toAbsolutePath());
            return secret;
        } catch (FileAlreadyExistsException e) {
            // another replica sharing the data directory created it between our check and create
            return readOrGenerate(file, prefix, what);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create " + file.toAbsolutePath(), e);
        }
    }
}
