package io.vdsoinventory.server.tls;

import io.vdsoinventory.protocol.CertificatePin;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.IPAddress;

/**
 * The private CA and server certificate of the secure-by-default start: a CA (EC P-256, ten years) whose key
 * never leaves {@code <data-dir>/tls/}, and a server certificate it signs (EC P-256, one year) for this host's
 * names. {@link #ensure} is idempotent: it reuses what exists and issues a new server certificate only when the
 * current one is missing, expires within {@link #RENEW_BEFORE}, names other hosts or was signed by another key. Keys
 * are written mode 0600, every file by an atomic move, so that the TLS connector's reload never reads half a file.
 */
final class GeneratedCertificates {

    static final Duration CA_VALIDITY = Duration.ofDays(3650);
    static final Duration SERVER_VALIDITY = Duration.ofDays(365);
    static final Duration RENEW_BEFORE = Duration.ofDays(30);
    private static final String SIGNATURE = "SHA256withECDSA";

    /** Where the CA's certificate and key and the server's certificate chain and key are. */
    record Locations(Path caCertificate, Path caKey, Path certificateChain, Path privateKey) {
    }

    /** The state after {@link #ensure}: the CA's certificate and pin, and whether a server certificate was issued. */
    record Issued(X509Certificate ca, CertificatePin caPin, X509Certificate server, boolean renewed) {
    }

    private final Locations files;
    private final SecureRandom random = new SecureRandom();

    GeneratedCertificates(Path caCertificateFile, Path tlsDir) {
        this.files = new Locations(caCertificateFile, tlsDir.resolve("ca-key.pem"), tlsDir.resolve("server.pem"),
                tlsDir.resolve("server-key.pem"));
    }

    /** The generated files of a service with {@code tls} settings and {@code dataDir}. */
    static GeneratedCertificates of(TlsProperties tls, Path dataDir) {
        return new GeneratedCertificates(tls.caCertificateFile(dataDir), dataDir.resolve("tls"));
    }

    Locations locations() {
        return files;
    }

    /** This host's name, {@code localhost}, the loopback addresses and {@code extraNames}, without duplicates. */
    static Set<String> subjectNames(Collection<String> extraNames) {
        Set<String> names = new LinkedHashSet<>();
        try {
            names.add(InetAddress.getLocalHost().getHostName());
        } catch (IOException e) {
            // no resolvable hostname: the other names still serve
        }
        names.addAll(List.of("localhost", "127.0.0.1", "::1"));
        extraNames.stream().map(String::strip).filter(name -> !name.isEmpty()).forEach(names::add);
        Set<String> normalized = new LinkedHashSet<>();
        names.forEach(name -> normalized.add(normalize(name)));
        return normalized;
    }

    /**
     * An IP address as {@link X509Certificate#getSubjectAlternativeNames} spells it ({@code ::1} is
     * {@code 0:0:0:0:0:0:0:1}), a DNS name in lowercase: so that the names of an existing certificate compare equal.
     */
    private static String normalize(String name) {
        if (IPAddress.isValid(name)) {
            try {
                return InetAddress.getByName(name).getHostAddress(); // a literal: no lookup
            } catch (IOException e) {
                throw new IllegalArgumentException("not an IP address: " + name, e);
            }
        }
        return name.toLowerCase(Locale.ROOT);
    }

    /** Creates the CA when missing and a server certificate for {@code names} when needed. */
    Issued ensure(Set<String> names, Instant now) {
        try {
            KeyPair caKeys;
            X509Certificate ca;
            if (Files.exists(files.caCertificate())) {
                if (!Files.exists(files.caKey())) {
                    throw new IllegalStateException(files.caCertificate() + " exists but its key " + files.caKey()
                            + " does not: restore the key, or delete " + files.caCertificate() + " to create a new CA"
                            + " (agents that pin or trust the old one must then be given the new one)");
                }
                ca = readCertificate(files.caCertificate());
                caKeys = new KeyPair(ca.getPublicKey(), readKey(files.caKey()));
            } else {
                caKeys = newKeyPair();
                ca = issueCa(caKeys, now);
                write(files.caKey(), pem(caKeys.getPrivate()), true);
                write(files.caCertificate(), pem(ca), false);
            }
            X509Certificate server = Files.exists(files.certificateChain())
                    ? readCertificate(files.certificateChain()) : null;
            boolean renew = server == null || !Files.exists(files.privateKey())
                    || server.getNotAfter().toInstant().isBefore(now.plus(RENEW_BEFORE))
                    || !subjectAlternativeNames(server).equals(new TreeSet<>(names))
                    || !signedBy(server, ca);
            if (renew) {
                KeyPair serverKeys = newKeyPair();
                server = issueServer(serverKeys, names, ca, caKeys.getPrivate(), now);
                // the key first: a reload between the two moves sees the old certificate with a key it cannot use
                // for a moment at most, and the watcher's quiet period waits for both
                write(files.privateKey(), pem(serverKeys.getPrivate()), true);
                write(files.certificateChain(), pem(server) + pem(ca), false);
            }
            return new Issued(ca, CertificatePin.of(ca), server, renew);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the TLS certificates in " + files.certificateChain().getParent()
                    + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("Cannot create the TLS certificates: " + e.getMessage(), e);
        }
    }

    private KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), random);
        return generator.generateKeyPair();
    }

    private X509Certificate issueCa(KeyPair keys, Instant now)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        X500Name subject = new X500Name("CN=vdso-inventory private CA " + now.getEpochSecond()
                + ",O=vdso-inventory");
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(CA_VALIDITY)), subject, keys.getPublic());
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        builder.addExtension(Extension.subjectKeyIdentifier, false,
                extensions.createSubjectKeyIdentifier(keys.getPublic()));
        return sign(builder, keys.getPrivate());
    }

    private X509Certificate issueServer(KeyPair keys, Set<String> names, X509Certificate ca, PrivateKey caKey,
            Instant now) throws GeneralSecurityException, OperatorCreationException, IOException {
        X500Name subject = new X500Name("CN=" + names.iterator().next().replaceAll("[,+=\"\\\\<>;]", "_")
                + ",O=vdso-inventory");
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca, serial(),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(SERVER_VALIDITY)), subject,
                keys.getPublic());
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.stream()
                .map(name -> IPAddress.isValid(name) ? new GeneralName(GeneralName.iPAddress, name)
                        : new GeneralName(GeneralName.dNSName, name))
                .toArray(GeneralName[]::new)));
        builder.addExtension(Extension.authorityKeyIdentifier, false,
                extensions.createAuthorityKeyIdentifier(ca));
        return sign(builder, caKey);
    }

    private BigInteger serial() {
        return new BigInteger(127, random).add(BigInteger.ONE);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
            throws GeneralSecurityException, OperatorCreationException {
        ContentSigner signer = new JcaContentSignerBuilder(SIGNATURE).build(key);
        return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    }

    /** The certificate's DNS and IP names. */
    private static Set<String> subjectAlternativeNames(X509Certificate certificate) throws GeneralSecurityException {
        Set<String> names = new TreeSet<>();
        Collection<List<?>> entries = certificate.getSubjectAlternativeNames();
        if (entries != null) {
            for (List<?> entry : entries) {
                names.add(String.valueOf(entry.get(1)));
            }
        }
        return names;
    }

    private static boolean signedBy(X509Certificate certificate, X509Certificate ca) {
        try {
            certificate.verify(ca.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static X509Certificate readCertificate(Path file) throws IOException, GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(readPem(file, X509CertificateHolder.class,
                "certificate"));
    }

    private static PrivateKey readKey(Path file) throws IOException {
        return new JcaPEMKeyConverter().getPrivateKey(readPem(file, PrivateKeyInfo.class, "PKCS#8 private key"));
    }

    /** The first PEM object of {@code file}, which must be a {@code type}. */
    private static <T> T readPem(Path file, Class<T> type, String what) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
                PEMParser parser = new PEMParser(reader)) {
            Object read = parser.readObject();
            if (type.isInstance(read)) {
                return type.cast(read);
            }
            throw new IOException(file + " holds no PEM " + what);
        }
    }

    private static String pem(Object object) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            // a PrivateKey is written as PKCS#8 ("PRIVATE KEY"), which Spring's PEM bundles read
            if (object instanceof PrivateKey key) {
                writer.writeObject(new JcaPKCS8Generator(key, null));
            } else {
                writer.writeObject(object);
            }
        }
        return text.toString();
    }

    /** Writes {@code text} to a sibling temporary file (0600 for secrets, else 0644) and moves it into place. */
    private static void write(Path file, String text, boolean secret) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (secret && !Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Files.createDirectories(dir);
        Path temporary = Files.createTempFile(dir, "." + file.getFileName(), ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--")));
        try {
            Files.writeString(temporary, text, StandardCharsets.US_ASCII);
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
