package dev.fletcher.sdk;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates the client trusts in place of the JVM's default authorities (e.g. a server's self-signed one): the
 * same PEM file serves HTTPS and Flight over TLS.
 */
final class TrustedCertificates {
    private final byte[] pem;
    private final SSLContext ssl;

    private TrustedCertificates(byte[] pem, SSLContext ssl) {
        this.pem = pem;
        this.ssl = ssl;
    }

    static TrustedCertificates read(Path pemFile) {
        byte[] pem;
        try {
            pem = Files.readAllBytes(pemFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the trusted certificates " + pemFile + ": " + e.getMessage(), e);
        }
        try {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem));
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException(pemFile + " holds no certificate; give a PEM file of X.509"
                        + " certificates");
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("trusted-" + i++, certificate);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, trust.getTrustManagers(), null);
            return new TrustedCertificates(pem, ssl);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException(pemFile + " is not a PEM file of X.509 certificates: " + e.getMessage(),
                    e);
        }
    }

    /** The certificates as PEM, for Flight. */
    byte[] pem() {
        return pem.clone();
    }

    /** A TLS context that trusts these certificates only, for HTTPS. */
    SSLContext sslContext() {
        return ssl;
    }
}
