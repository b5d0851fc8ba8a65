package io.vdsoinventory.server.tls;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Makes the service secure by default before its web server exists: unless {@code vdso.tls.enabled=false}, it
 * serves HTTPS through Spring Boot's SSL bundle {@value #BUNDLE} (TLS 1.3 and 1.2, forward-secret AEAD suites only),
 * from {@code vdso.tls.certificate} when given or else from the certificate of the service's own CA, created or
 * renewed here ({@link GeneratedCertificates}). The bundle reloads its files when they change, so cert-manager's
 * rotation and the daily renewal need no restart. With TLS off the service listens on the loopback address unless
 * {@code server.address} says otherwise. A {@code server.ssl.bundle} or {@code server.ssl.certificate} configured
 * by hand is left as it is. Everything set here has the lowest precedence: any explicit setting wins.
 */
public class TlsEnvironment implements EnvironmentPostProcessor, Ordered {

    static final String BUNDLE = "vdso";
    static final String PROTOCOLS = "TLSv1.3,TLSv1.2";
    /** TLS 1.3's suites and TLS 1.2's ECDHE with AES-GCM or ChaCha20-Poly1305: no CBC, no static RSA, no SHA-1. */
    static final String CIPHERS = String.join(",", List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"));
    private static final String PEM = "spring.ssl.bundle.pem." + BUNDLE + ".";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Binder binder = Binder.get(environment);
        TlsProperties tls = binder.bindOrCreate("vdso.tls", TlsProperties.class);
        Map<String, Object> defaults = new LinkedHashMap<>();
        if (!tls.enabled()) {
            defaults.put("server.address", "127.0.0.1");
        } else if (environment.containsProperty("server.ssl.bundle")) {
            return; // a bundle of the operator's own
        } else if (environment.containsProperty("server.ssl.certificate")
                || environment.containsProperty("server.ssl.key-store")) {
            defaults.put("server.ssl.enabled-protocols", PROTOCOLS);
            defaults.put("server.ssl.ciphers", CIPHERS);
        } else {
            Path certificate;
            Path privateKey;
            if (tls.generated()) {
                GeneratedCertificates generated = GeneratedCertificates.of(tls, dataDir(binder));
                generated.ensure(GeneratedCertificates.subjectNames(tls.names()), Instant.now());
                certificate = generated.locations().certificateChain();
                privateKey = generated.locations().privateKey();
            } else {
                certificate = tls.certificate();
                privateKey = tls.privateKey();
            }
            defaults.put("server.ssl.bundle", BUNDLE);
            defaults.put(PEM + "keystore.certificate", "file:" + certificate.toAbsolutePath());
            defaults.put(PEM + "keystore.private-key", "file:" + privateKey.toAbsolutePath());
            defaults.put(PEM + "reload-on-update", "true");
            defaults.put(PEM + "options.enabled-protocols", PROTOCOLS);
            defaults.put(PEM + "options.ciphers", CIPHERS);
        }
        environment.getPropertySources().addLast(new MapPropertySource("vdso-tls-defaults", defaults));
    }

    static Path dataDir(Binder binder) {
        return binder.bind("vdso.data-dir", Path.class).orElse(Path.of("./vdso-data"));
    }

    /** After the configuration files are read (ConfigDataEnvironmentPostProcessor), so that they count. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
