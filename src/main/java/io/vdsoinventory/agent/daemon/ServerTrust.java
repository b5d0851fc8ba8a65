package io.vdsoinventory.agent.daemon;

import io.vdsoinventory.protocol.CertificatePin;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Which servers the agent trusts over https: the system's trust store (the default), exactly the CAs of
 * {@code --ca-file}, and/or a chain holding a public key pinned by {@code --ca-sha256}. A pinned certificate is
 * the chain's trust anchor when no CA file is given, so the chain is still verified up to it (signatures, validity).
 * The host name is always verified (the JDK's https endpoint identification, done by the PKIX trust manager this
 * one delegates to). One SSL context per process, so that TLS sessions are resumed from connection to connection.
 */
public final class ServerTrust {

    private static final ServerTrust SYSTEM = new ServerTrust(null);

    private final SSLSocketFactory socketFactory;

    private ServerTrust(SSLSocketFactory socketFactory) {
        this.socketFactory = socketFactory;
    }

    /** The JDK's default: the system trust store. */
    public static ServerTrust system() {
        return SYSTEM;
    }

    /**
     * Trusts exactly the CAs in {@code caFiles} (PEM, each may hold several) when any are given, else the system
     * store; when {@code pins} are given a chain must also hold one of their keys.
     *
     * @throws IOException a CA file cannot be read or holds no certificate (the message names it)
     */
    public static ServerTrust of(List<Path> caFiles, List<CertificatePin> pins) throws IOException {
        if (caFiles.isEmpty() && pins.isEmpty()) {
            return SYSTEM;
        }
        try {
            // pins without CA files: each chain is verified up to its pinned certificate (see PinningTrustManager)
            X509ExtendedTrustManager anchors = caFiles.isEmpty() ? null : pkix(keyStore(readCertificates(caFiles)));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new PinningTrustManager(anchors, pins)}, null);
            return new ServerTrust(context.getSocketFactory());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** The socket factory of https connections; null for the JDK's default. */
    public SSLSocketFactory socketFactory() {
        return socketFactory;
    }

    private static List<X509Certificate> readCertificates(List<Path> files) throws IOException {
        CertificateFactory factory;
        try {
            factory = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("every Java platform reads X.509", e);
        }
        List<X509Certificate> certificates = new ArrayList<>();
        for (Path file : files) {
            Collection<? extends Certificate> read;
            try (InputStream in = Files.newInputStream(file)) {
                read = factory.generateCertificates(in);
            } catch (CertificateException e) {
                throw new IOException(file + " is not a PEM certificate file: " + e.getMessage(), e);
            }
            if (read.isEmpty()) {
                throw new IOException(file + " holds no certificate");
            }
            read.forEach(certificate -> certificates.add((X509Certificate) certificate));
        }
        return certificates;
    }

    private static KeyStore keyStore(List<X509Certificate> anchors) throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new IllegalStateException("an empty key store needs no I/O", e);
        }
        for (int i = 0; i < anchors.size(); i++) {
            store.setCertificateEntry("ca-" + i, anchors.get(i));
        }
        return store;
    }

    /** The JDK's PKIX trust manager over {@code anchors} (null: the system store). */
    private static X509ExtendedTrustManager pkix(KeyStore anchors) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(anchors);
        return Arrays.stream(factory.getTrustManagers()).filter(X509ExtendedTrustManager.class::isInstance)
                .map(X509ExtendedTrustManager.class::cast).findFirst()
                .orElseThrow(() -> new GeneralSecurityException("no X509ExtendedTrustManager"));
    }

    /**
     * Verifies a server's chain against the CA files ({@code anchors}) or, with pins only, against the pinned
     * certificate of the chain; and, with pins, that the chain holds a pinned key. Only the socket/engine variants
     * are used by the JDK's https client (they carry the host name to verify).
     */
    private static final class PinningTrustManager extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager anchors;
        private final List<CertificatePin> pins;

        PinningTrustManager(X509ExtendedTrustManager anchors, List<CertificatePin> pins) {
            this.anchors = anchors;
            this.pins = List.copyOf(pins);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            verifierFor(chain).checkServerTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            verifierFor(chain).checkServerTrusted(chain, authType, engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            verifierFor(chain).checkServerTrusted(chain, authType);
        }

        /** The trust manager that verifies {@code chain}, after the pin check. */
        private X509ExtendedTrustManager verifierFor(X509Certificate[] chain) throws CertificateException {
            if (pins.isEmpty()) {
                return anchors;
            }
            X509Certificate pinned = Arrays.stream(chain).filter(certificate -> pins.contains(CertificatePin.of(certificate)))
                    .findFirst().orElseThrow(() -> new CertificateException("no certificate of the server's chain has "
                            + "a key pinned by --ca-sha256 (" + pins.stream().map(CertificatePin::toString)
                                    .collect(Collectors.joining(", ")) + "); the chain's pins: "
                            + Arrays.stream(chain).map(certificate -> CertificatePin.of(certificate) + " ("
                                    + certificate.getSubjectX500Principal().getName() + ")")
                                    .collect(Collectors.joining(", "))));
            if (anchors != null) {
                return anchors;
            }
            try {
                return pkix(keyStore(List.of(pinned)));
            } catch (GeneralSecurityException e) {
                throw new CertificateException("cannot verify the chain up to its pinned certificate: " + e.getMessage(), e);
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("the agent authenticates no clients");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("the agent authenticates no clients");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("the agent authenticates no clients");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return anchors != null ? anchors.getAcceptedIssuers() : new X509Certificate[0];
        }
    }
}
