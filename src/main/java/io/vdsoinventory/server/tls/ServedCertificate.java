package io.vdsoinventory.server.tls;

import io.vdsoinventory.server.VdsoProperties;
import io.vdsoinventory.server.security.Secrets;
import java.time.Instant;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * What the service serves, said once it is ready: with the generated certificate, where its CA is, the CA's pin
 * and the {@code agent run} line that enrols a host with it; with plain HTTP, a warning. The generated server
 * certificate is checked twice a day and renewed {@link GeneratedCertificates#RENEW_BEFORE} before it expires; the
 * SSL bundle reloads it (see {@link TlsEnvironment}).
 */
@Component
class ServedCertificate {

    private static final Logger log = LoggerFactory.getLogger(ServedCertificate.class);

    private final TlsProperties tls;
    private final VdsoProperties vdso;
    private final Environment environment;

    ServedCertificate(TlsProperties tls, VdsoProperties vdso, Environment environment) {
        this.tls = tls;
        this.vdso = vdso;
        this.environment = environment;
    }

    /** Whether the service serves the certificate of its own CA (not one it was given, not plain HTTP). */
    private boolean generated() {
        return tls.generated() && TlsEnvironment.BUNDLE.equals(environment.getProperty("server.ssl.bundle"));
    }

    @EventListener(ApplicationReadyEvent.class)
    void announce() {
        String port = environment.getProperty("local.server.port", environment.getProperty("server.port", "8080"));
        if (!tls.enabled()) {
            log.warn("Plain HTTP on {}:{} (vdso.tls.enabled=false): enroll secrets, node keys and API tokens cross "
                    + "the network in clear; keep it on the loopback address or behind a TLS proxy",
                    environment.getProperty("server.address", "all interfaces"), port);
        } else if (generated()) {
            GeneratedCertificates.Issued issued = generatedCertificates().ensure(names(), Instant.now());
            String host = names().iterator().next();
            String secretFile = vdso.configuredEnrollSecret() != null ? "<a file holding VDSO_ENROLL_SECRET>"
                    : Secrets.generatedEnrollSecretFile(vdso.dataDir()).toString();
            log.info("HTTPS with a certificate of the service's own CA (valid until {}); clients trust it with the CA "
                    + "file {} (curl --cacert, agent --ca-file) or its pin {} (agent --ca-sha256)",
                    issued.server().getNotAfter().toInstant(), generatedCertificates().locations().caCertificate(),
                    issued.caPin());
            log.info("Enroll a host: java -jar vdso-inventory.jar agent run --server https://{}:{} "
                    + "--enroll-secret-file {} --ca-sha256 {}", host, port, secretFile, issued.caPin());
        } else if (tls.certificate() != null) {
            log.info("HTTPS with the certificate {} (reloaded when it changes)", tls.certificate());
        } else {
            log.info("HTTPS as configured by server.ssl.*");
        }
    }

    @Scheduled(initialDelayString = "PT12H", fixedDelayString = "PT12H")
    void renewWhenDue() {
        if (!generated()) {
            return;
        }
        GeneratedCertificates.Issued issued = generatedCertificates().ensure(names(), Instant.now());
        if (issued.renewed()) {
            log.info("Renewed the server certificate (valid until {}); the TLS connector reloads it",
                    issued.server().getNotAfter().toInstant());
        }
    }

    private GeneratedCertificates generatedCertificates() {
        return GeneratedCertificates.of(tls, vdso.dataDir());
    }

    private Set<String> names() {
        return GeneratedCertificates.subjectNames(tls.names());
    }
}
