package io.vdsoinventory.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

/** What the service serves for which settings, as the environment the web server is built from. */
class TlsEnvironmentTests {

    @TempDir
    Path data;

    private MockEnvironment process(MockEnvironment environment) {
        new TlsEnvironment().postProcessEnvironment(environment.withProperty("vdso.data-dir", data.toString()),
                new SpringApplication());
        return environment;
    }

    @Test
    void noSettingsServeHttpsWithTheGeneratedCertificateThroughAReloadingBundle() {
        MockEnvironment environment = process(new MockEnvironment());

        assertThat(environment.getProperty("server.ssl.bundle")).isEqualTo("vdso");
        assertThat(environment.getProperty("spring.ssl.bundle.pem.vdso.keystore.certificate"))
                .isEqualTo("file:" + data.resolve("tls/server.pem").toAbsolutePath());
        assertThat(environment.getProperty("spring.ssl.bundle.pem.vdso.keystore.private-key"))
                .isEqualTo("file:" + data.resolve("tls/server-key.pem").toAbsolutePath());
        assertThat(environment.getProperty("spring.ssl.bundle.pem.vdso.reload-on-update")).isEqualTo("true");
        assertThat(environment.getProperty("spring.ssl.bundle.pem.vdso.options.enabled-protocols"))
                .isEqualTo("TLSv1.3,TLSv1.2");
        assertThat(environment.getProperty("spring.ssl.bundle.pem.vdso.options.ciphers")).doesNotContain("CBC", "TLS_RSA_", "SHA,");
        assertThat(environment.getProperty("server.address")).as("every interface").isNull();
        assertThat(data.resolve("ca.pem")).isRegularFile();
    }

    @Test
    void theCaCertificateGoesWhereItIsAskedFor() {
        Path shared = data.resolve("shared/ca.pem");
        process(new MockEnvironment().withProperty("vdso.tls.ca-certificate-file", shared.toString()));

        assertThat(shared).isRegularFile();
        assertThat(data.resolve("ca.pem")).doesNotExist();
    }

    @Test
    void aGivenCertificateIsServedInsteadAndNothingIsGenerated() {
        MockEnvironment environment = process(new MockEnvironment()
                .withProperty("vdso.tls.certificate", "/etc/vdso-tls/tls.crt")
                .withProperty("vdso.tls.private-key", "/etc/vdso-tls/tls.key"));

        assertThat(environment.getProperty("spring.ssl.bundle.pem.vdso.keystore.certificate"))
                .isEqualTo("file:/etc/vdso-tls/tls.crt");
        assertThat(environment.getProperty("spring.ssl.bundle.pem.vdso.keystore.private-key"))
                .isEqualTo("file:/etc/vdso-tls/tls.key");
        assertThat(environment.getProperty("spring.ssl.bundle.pem.vdso.reload-on-update")).isEqualTo("true");
        assertThat(Files.exists(data.resolve("ca.pem"))).isFalse();
    }

    @Test
    void plainHttpOnlyWhenAskedForAndThenOnTheLoopbackUnlessAnAddressIsGiven() {
        MockEnvironment plain = process(new MockEnvironment().withProperty("vdso.tls.enabled", "false"));
        assertThat(plain.getProperty("server.ssl.bundle")).isNull();
        assertThat(plain.getProperty("server.address")).isEqualTo("127.0.0.1");
        assertThat(data.resolve("ca.pem")).doesNotExist();

        MockEnvironment addressed = process(new MockEnvironment().withProperty("vdso.tls.enabled", "false")
                .withProperty("server.address", "0.0.0.0"));
        assertThat(addressed.getProperty("server.address")).isEqualTo("0.0.0.0");
    }

    @Test
    void anOperatorsOwnSslBundleIsUsedAsConfigured() {
        MockEnvironment environment = process(new MockEnvironment().withProperty("server.ssl.bundle", "mine"));

        assertThat(environment.getProperty("server.ssl.bundle")).isEqualTo("mine");
        assertThat(environment.getProperty("spring.ssl.bundle.pem.vdso.keystore.certificate")).isNull();
        assertThat(data.resolve("ca.pem")).doesNotExist();
    }
}
