package io.multiprocessing4j.distributed;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} for a test: the distribution's binary on a free port of
 * 127.0.0.1, nothing saved to disk, in the foreground as a child of the test JVM. Fails
 * (never skips) when the binary is missing. {@link #close()} kills it and waits for it, so
 * nothing is left running; {@link #kill()} and {@link #restart()} stop and restart it on the
 * same port, as a server that goes away and comes back.
 */
public final class RedisServer implements AutoCloseable {
    public static final String BINARY = System.getProperty("mp4j.redisServer", "/usr/bin/redis-server");

    private final int port;
    private final String password;
    private final Path dir;
    private final List<String> tls; // the TLS options, empty for plain TCP
    private Process process;

    private RedisServer(int port, String password, List<String> tls) throws IOException {
        this.port = port;
        this.password = password;
        this.tls = tls;
        this.dir = Files.createTempDirectory("mp4j-redis");
    }

    /** Starts a server on a free port. */
    public static RedisServer start() throws IOException, InterruptedException {
        return startWithPassword(null);
    }

    /** Starts a server on a free port that asks for {@code password} ({@code --requirepass}). */
    public static RedisServer startWithPassword(String password) throws IOException, InterruptedException {
        return started(new RedisServer(freePort(), password, List.of()));
    }

    /**
     * Starts a server that speaks TLS only, with {@code cert} and {@code key} (PEM files;
     * clients are not asked for certificates).
     */
    public static RedisServer startTls(Path cert, Path key) throws IOException, InterruptedException {
        return started(new RedisServer(freePort(), null, List.of("--tls-cert-file", cert.toString(),
                "--tls-key-file", key.toString(), "--tls-ca-cert-file", cert.toString(), "--tls-auth-clients", "no")));
    }

    private static RedisServer started(RedisServer s) throws IOException, InterruptedException {
        try {
            if (!Files.isExecutable(Path.of(BINARY)))
                throw new AssertionError(BINARY + " is missing: install the redis-server package (.ci/run does)");
            s.restart();
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            s.close();
            throw e;
        }
        return s;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    /** Starts (or restarts after {@link #kill()}) the server, and waits until it answers. */
    public synchronized void restart() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) throw new IllegalStateException("already running");
        List<String> cmd = new ArrayList<>(List.of(BINARY, "--port", tls.isEmpty() ? String.valueOf(port) : "0",
                "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", dir.toString(),
                "--loglevel", "warning"));
        if (password != null) cmd.addAll(List.of("--requirepass", password));
        if (!tls.isEmpty()) {
            cmd.addAll(List.of("--tls-port", String.valueOf(port)));
            cmd.addAll(tls);
        }
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("server.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!answers()) {
            if (!process.isAlive()) throw new AssertionError("redis-server exited: " + log());
            if (System.nanoTime() > deadline) throw new AssertionError("redis-server did not answer: " + log());
            Thread.sleep(20);
        }
    }

    /** Whether a PING gets PONG (or NOAUTH, which is an answer too); for TLS, whether the port takes connections. */
    private boolean answers() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            if (!tls.isEmpty()) return true;
            s.setSoTimeout(1000);
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] b = new byte[64];
            int n = in.read(b);
            String r = n > 0 ? new String(b, 0, n, StandardCharsets.US_ASCII) : "";
            return r.startsWith("+PONG") || r.contains("NOAUTH");
        } catch (IOException e) {
            return false;
        }
    }

    /** SIGKILLs the server and waits until it is gone: every key is lost (nothing is saved). */
    public synchronized void kill() throws InterruptedException {
        if (process == null) return;
        process.destroyForcibly();
        if (!process.waitFor(20, TimeUnit.SECONDS)) throw new AssertionError("redis-server " + process.pid() + " did not die");
    }

    public int port() { return port; }

    /** {@code redis://127.0.0.1:port} ({@code rediss://} for TLS). */
    public String address() { return (tls.isEmpty() ? "redis" : "rediss") + "://127.0.0.1:" + port; }

    private String log() {
        try {
            return Files.readString(dir.resolve("server.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public synchronized void close() {
        try {
            kill();
        } catch (InterruptedException e) {
            process.destroyForcibly(); // already asked; the interrupt is the test's to see
            Thread.currentThread().interrupt();
        } finally {
            TempDirs.remove(dir);
        }
    }
}
