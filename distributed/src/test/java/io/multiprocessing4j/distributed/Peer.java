package io.multiprocessing4j.distributed;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A second JVM, standing for another machine: the test JVM's {@code java} and class path
 * running {@link PeerMain} with a scenario, sharing nothing with the test JVM but the
 * server. Its stdout is read line by line ({@link #awaitLine}), its stdin takes lines
 * ({@link #send}), its stderr goes to a file shown in failures. Close it in a finally (or
 * try-with-resources): that SIGKILLs it if it still runs.
 */
final class Peer implements AutoCloseable {
    static final Duration GUARD = Duration.ofSeconds(90);
    private static final String END = "\u0000end";

    private final Process process;
    private final Path stderr;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();

    private Peer(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
        Thread.ofVirtual().start(this::pump);
    }

    /** Runs scenario {@code scenario} of {@link PeerMain} against {@code address}, with {@code args}. */
    static Peer start(String address, String scenario, String... args) throws IOException {
        return start(List.of(), address, scenario, args);
    }

    static Peer start(List<String> jvmOptions, String address, String scenario, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(Paths.get(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), PeerMain.class.getName(), address, scenario));
        cmd.addAll(List.of(args));
        Path err = Files.createTempFile("mp4j-peer", ".stderr");
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        return new Peer(p, err);
    }

    private void pump() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String l; (l = r.readLine()) != null; ) lines.add(l);
        } catch (IOException ignored) {
            // closed by close()
        } finally {
            lines.add(END);
        }
    }

    /** The next stdout line that starts with {@code prefix}, without it (earlier lines are skipped). */
    String awaitLine(String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + GUARD.toNanos();
        while (true) {
            String l = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (l == null || l.equals(END)) {
                if (l != null) lines.add(END);
                throw new AssertionError("no line '" + prefix + "' from peer " + process.pid() + "; stdout " + seen + "; stderr:\n" + stderr());
            }
            seen.add(l);
            if (l.startsWith(prefix)) return l.substring(prefix.length());
        }
    }

    /** Every stdout line until the peer ends; checks that it exits with 0. */
    List<String> awaitEnd() throws InterruptedException {
        List<String> rest = new ArrayList<>();
        long deadline = System.nanoTime() + GUARD.toNanos();
        while (true) {
            String l = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (l == null) throw new AssertionError("peer " + process.pid() + " did not end; stdout " + rest + "; stderr:\n" + stderr());
            if (l.equals(END)) break;
            seen.add(l);
            rest.add(l);
        }
        if (!process.waitFor(GUARD.toMillis(), TimeUnit.MILLISECONDS)) throw new AssertionError("peer did not exit");
        if (process.exitValue() != 0)
            throw new AssertionError("peer exit " + process.exitValue() + "; stdout " + seen + "; stderr:\n" + stderr());
        return rest;
    }

    /** The lines that arrived but were not yet taken, starting with {@code prefix}, without it (after the peer ended). */
    List<String> linesSoFar(String prefix) {
        List<String> l = new ArrayList<>();
        for (String s; (s = lines.poll()) != null; ) if (s.startsWith(prefix)) l.add(s.substring(prefix.length()));
        return l;
    }

    Process process() { return process; }

    /** Writes {@code line} to the peer's stdin. */
    void send(String line) throws IOException {
        OutputStream o = process.getOutputStream();
        o.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        o.flush();
    }

    long pid() { return process.pid(); }

    /** SIGKILL, as a crash: no shutdown hook runs, nothing is released. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(GUARD.toMillis(), TimeUnit.MILLISECONDS);
    }

    String stderr() {
        try {
            return Files.readString(stderr, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "(" + e + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            process.getOutputStream().close();
            Files.deleteIfExists(stderr);
        } catch (IOException ignored) {
            // a temporary file
        }
    }
}
