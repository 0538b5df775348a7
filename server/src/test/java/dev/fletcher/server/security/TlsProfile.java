package dev.fletcher.server.security;

import dev.fletcher.server.example.ExampleProfile;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The example server with HTTPS and Flight over TLS on a self-signed certificate made here with the JDK's keytool
 * (for localhost and 127.0.0.1), and a small HTTP body limit so that going past it costs little.
 */
public class TlsProfile implements QuarkusTestProfile {
    static final Path DIR = Path.of("target", "tls-test").toAbsolutePath();
    /** The server's certificate, PEM: what a client trusts. */
    static final Path CERTIFICATE = DIR.resolve("server.crt");
    static final Path KEY = DIR.resolve("server.key");
    static final long MAX_BODY_BYTES = 1024 * 1024;

    @Override
    public Map<String, String> getConfigOverrides() {
        selfSigned();
        Map<String, String> config = new HashMap<>(new ExampleProfile().getConfigOverrides());
        config.put("quarkus.http.ssl.certificate.files", CERTIFICATE.toString());
        config.put("quarkus.http.ssl.certificate.key-files", KEY.toString());
        config.put("quarkus.http.test-ssl-port", "0");
        config.put("fletcher.flight.tls.certificate", CERTIFICATE.toString());
        config.put("fletcher.flight.tls.key", KEY.toString());
        config.put("quarkus.http.limits.max-body-size", Long.toString(MAX_BODY_BYTES));
        return config;
    }

    /** A new key pair and certificate on every start, written as the PEM files both servers read. */
    static synchronized void selfSigned() {
        try {
            Files.createDirectories(DIR);
            Path store = DIR.resolve("server.p12");
            Files.deleteIfExists(store);
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            Process process = new ProcessBuilder(keytool, "-genkeypair", "-alias", "fletcher", "-keyalg", "RSA",
                    "-keysize", "2048", "-validity", "2", "-dname", "CN=localhost",
                    "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-keystore", store.toString(), "-storetype", "PKCS12",
                    "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                keys.load(in, "changeit".toCharArray());
            }
            Key key = keys.getKey("fletcher", "changeit".toCharArray());
            Certificate certificate = keys.getCertificate("fletcher");
            Files.writeString(CERTIFICATE, pem("CERTIFICATE", certificate.getEncoded()));
            // PKCS#8, which both Vert.x and gRPC's Netty read
            Files.writeString(KEY, pem("PRIVATE KEY", key.getEncoded()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
