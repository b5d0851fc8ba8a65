package io.vdsoinventory.protocol;

import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A pin of a certificate's public key: the SHA-256 of its DER SubjectPublicKeyInfo (as kubeadm's
 * {@code --discovery-token-ca-cert-hash} and HPKP pin it), spelled {@code sha256:<64 hex digits>}. The service logs
 * its CA's pin at start; {@code agent --ca-sha256} accepts a server whose chain holds a pinned key. A pin survives
 * the certificate's renewal as long as the key stays.
 */
public record CertificatePin(String sha256) {

    private static final String PREFIX = "sha256:";

    public CertificatePin {
        if (!Sha256.isValid(sha256)) {
            throw new IllegalArgumentException("not a SHA-256 in lowercase hex: " + sha256);
        }
    }

    /** The pin of {@code certificate}'s public key. */
    public static CertificatePin of(X509Certificate certificate) {
        return new CertificatePin(Sha256.of(certificate.getPublicKey().getEncoded()));
    }

    /**
     * Reads {@code sha256:<hex>}, bare hex, or the base64 of the digest (as HPKP and Elastic's {@code --ca-sha256}
     * spell it).
     *
     * @throws IllegalArgumentException naming the expected spellings
     */
    public static CertificatePin parse(String text) {
        String value = text.strip();
        if (value.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            value = value.substring(PREFIX.length());
        }
        String hex = value.toLowerCase(Locale.ROOT);
        if (Sha256.isValid(hex)) {
            return new CertificatePin(hex);
        }
        try {
            byte[] digest = Base64.getDecoder().decode(value);
            if (digest.length == 32) {
                return new CertificatePin(HexFormat.of().formatHex(digest));
            }
        } catch (IllegalArgumentException e) {
            // not base64 either: refused below
        }
        throw new IllegalArgumentException("'" + text + "' is not a pin: expected sha256:<64 hex digits> (as the "
                + "service logs it) or the base64 of a SHA-256");
    }

    @Override
    public String toString() {
        return PREFIX + sha256;
    }
}
