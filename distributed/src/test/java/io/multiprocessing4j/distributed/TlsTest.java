package io.multiprocessing4j.distributed;

import io.multiprocessing4j.sync.Lock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code rediss://}: a context over TLS to a server whose self-signed certificate is in the given trust store. */
class TlsTest {

    @Test
    void aContextTalksTlsToAServerItTrusts(@TempDir Path dir) throws Exception {
        Path cert = dir.resolve("cert.pem"), key = dir.resolve("key.pem");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                "-keyout", key.toString(), "-out", cert.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("openssl.log").toFile()).start();
        assertTrue(openssl.waitFor(60, TimeUnit.SECONDS) && openssl.exitValue() == 0, () -> log(dir));
        Path trust = dir.resolve("trust.p12");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(cert)) {
            Certificate c = CertificateFactory.getInstance("X.509").generateCertificate(in);
            ks.setCertificateEntry("server", c);
        }
        try (OutputStream out = Files.newOutputStream(trust)) {
            ks.store(out, "changeit".toCharArray());
        }
        try (RedisServer server = RedisServer.startTls(cert, key)) {
            assertTrue(server.address().startsWith("rediss://"));
            DistributedOptions options = DistributedOptions.builder(server.address()).trustStore(trust, "changeit").build();
            try (DistributedContext ctx = Distributed.context(options)) {
                assertTrue(ctx.ping());
                Lock l = ctx.lock("over-tls");
                assertTrue(l.acquire(true, Duration.ofSeconds(10)));
                l.release();
            }
            DistributedOptions untrusting = DistributedOptions.builder(server.address()).timeout(Duration.ofSeconds(2)).build();
            assertThrows(ServerUnavailableException.class, () -> Distributed.context(untrusting).close());
        }
    }

    private static String log(Path dir) {
        try {
            return Files.readString(dir.resolve("openssl.log"));
        } catch (Exception e) {
            return e.toString();
        }
    }
}
