package io.vdsoinventory.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vdsoinventory.protocol.CertificatePin;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeneratedCertificatesTests {

    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
    private static final Set<String> NAMES = GeneratedCertificates.subjectNames(List.of("inventory.example", "10.0.0.7"));

    @TempDir
    Path data;

    private GeneratedCertificates certificates() {
        return new GeneratedCertificates(data.resolve("ca.pem"), data.resolve("tls"));
    }

    @Test
    void firstStartCreatesAnEcCaAndAServerCertificateForTheNamesWithPrivateKeys() throws Exception {
        GeneratedCertificates.Issued issued = certificates().ensure(NAMES, NOW);

        GeneratedCertificates.Locations files = certificates().locations();
        List<X509Certificate> chain = read(files.certificateChain());
        X509Certificate ca = read(files.caCertificate()).get(0);
        assertThat(chain).hasSize(2);
        assertThat(chain.get(1)).isEqualTo(ca);
        X509Certificate server = chain.get(0);
        server.verify(ca.getPublicKey());
        assertThat(server.getPublicKey()).isInstanceOf(ECPublicKey.class);
        assertThat(((ECPublicKey) server.getPublicKey()).getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
        assertThat(ca.getBasicConstraints()).isZero();
        assertThat(server.getBasicConstraints()).isEqualTo(-1);
        assertThat(server.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(server.getSubjectAlternativeNames().stream().map(name -> String.valueOf(name.get(1))))
                .contains("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1", "inventory.example", "10.0.0.7");
        assertThat(server.getNotAfter().toInstant()).isAfter(NOW.plus(Duration.ofDays(364)));
        assertThat(issued.caPin()).isEqualTo(CertificatePin.of(ca));
        assertThat(issued.renewed()).isTrue();
        for (Path key : List.of(files.caKey(), files.privateKey())) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).as(key.toString())
                    .isEqualTo("rw-------");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.privateKey().getParent())))
                .isEqualTo("rwx------");
    }

    @Test
    void laterStartsReuseEverythingUntilTheCertificateIsDueOrTheNamesChange() throws Exception {
        certificates().ensure(NAMES, NOW);
        Path chainFile = certificates().locations().certificateChain();
        String first = Files.readString(chainFile);
        String ca = Files.readString(certificates().locations().caCertificate());

        assertThat(certificates().ensure(NAMES, NOW.plus(Duration.ofDays(300))).renewed()).isFalse();
        assertThat(Files.readString(chainFile)).isEqualTo(first);

        GeneratedCertificates.Issued due = certificates().ensure(NAMES, NOW.plus(Duration.ofDays(340)));
        assertThat(due.renewed()).isTrue();
        assertThat(Files.readString(chainFile)).isNotEqualTo(first);
        assertThat(due.server().getNotAfter().toInstant()).isAfter(NOW.plus(Duration.ofDays(700)));
        assertThat(Files.readString(certificates().locations().caCertificate())).as("the CA and its pin stay")
                .isEqualTo(ca);

        String renewed = Files.readString(chainFile);
        Set<String> moreNames = GeneratedCertificates.subjectNames(List.of("inventory.example", "10.0.0.7", "server"));
        assertThat(certificates().ensure(moreNames, NOW.plus(Duration.ofDays(340))).renewed()).isTrue();
        assertThat(Files.readString(chainFile)).isNotEqualTo(renewed);
        assertThat(certificates().ensure(moreNames, NOW.plus(Duration.ofDays(340))).renewed()).isFalse();
    }

    @Test
    void aCaCertificateWithoutItsKeyIsRefusedRatherThanReplacedBehindTheAgentsBack() throws Exception {
        certificates().ensure(NAMES, NOW);
        Files.delete(certificates().locations().caKey());

        assertThatThrownBy(() -> certificates().ensure(NAMES, NOW)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ca-key.pem does not").hasMessageContaining("delete");
    }

    @Test
    void extraNamesAreTrimmedAndDeduplicated() {
        Set<String> names = GeneratedCertificates.subjectNames(List.of(" Server ", "", "localhost", "::1"));
        assertThat(names).contains("server", "localhost", "0:0:0:0:0:0:0:1");
        assertThat(names.stream().filter("localhost"::equals).count()).isEqualTo(1);
        assertThat(names.stream().collect(Collectors.toSet())).hasSameSizeAs(names);
        assertThat(names).doesNotContain("");
    }

    @SuppressWarnings("unchecked")
    private static List<X509Certificate> read(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return (List<X509Certificate>) (List<?>) List.copyOf(CertificateFactory.getInstance("X.509")
                    .generateCertificates(in));
        }
    }
}
