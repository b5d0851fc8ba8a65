package io.vdsoinventory.server.tls;

import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the service serves TLS ({@code vdso.tls.*}). Read by {@link TlsEnvironment} before the context starts (it
 * configures Spring Boot's SSL bundle) and bound again as a bean for the certificate's renewal and the start log.
 *
 * @param enabled HTTPS (the default); false serves plain HTTP, on the loopback address unless
 *        {@code server.address} is given ({@code VDSO_TLS_ENABLED})
 * @param certificate a PEM certificate chain to serve instead of the generated one, reloaded when it changes
 *        ({@code VDSO_TLS_CERTIFICATE}); with {@code privateKey}
 * @param privateKey the PEM (PKCS#8 or traditional) private key of {@code certificate} ({@code VDSO_TLS_PRIVATE_KEY})
 * @param caCertificateFile where the generated CA's certificate is written for agents and curl; default
 *        {@code <data-dir>/ca.pem} ({@code VDSO_TLS_CA_CERTIFICATE_FILE})
 * @param names more names (DNS or IP) of the generated server certificate, besides this host's name,
 *        {@code localhost} and the loopback addresses ({@code VDSO_TLS_NAMES}, comma-separated)
 */
@ConfigurationProperties("vdso.tls")
public record TlsProperties(
        @DefaultValue("true") boolean enabled,
        @Nullable Path certificate,
        @Nullable Path privateKey,
        @Nullable Path caCertificateFile,
        @DefaultValue List<String> names) {

    public TlsProperties {
        if ((certificate == null) != (privateKey == null)) {
            throw new IllegalArgumentException("vdso.tls.certificate and vdso.tls.private-key go together: "
                    + "give both or neither");
        }
    }

    /** Whether the service generates its own CA and certificate (TLS on, no certificate of its own given). */
    boolean generated() {
        return enabled && certificate == null;
    }

    /** Where the generated CA's certificate is. */
    Path caCertificateFile(Path dataDir) {
        return caCertificateFile != null ? caCertificateFile : dataDir.resolve("ca.pem");
    }
}
