package io.multiprocessing4j.distributed.pool;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A worker of a distributed pool as a real process, standing for a worker on another machine:
 * the test JVM's {@code java} and class path (so the tests' lambdas are there) running
 * {@link Worker}. {@link #start} returns once every worker it runs said it serves. Close it in
 * a finally: that SIGKILLs it and its workers if they still run.
 */
final class WorkerJvm implements AutoCloseable {
    static final long GUARD_SECONDS = 90;
    private static final Pattern SERVING = Pattern.compile("worker (\\w+) \\(pid (\\d+)\\) serving pool .*");

    private final Process process;
    private final Path stderr;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<Long> workerPids = new ArrayList<>();

    private WorkerJvm(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
        Thread.ofVirtual().start(this::pump);
    }

    /** A {@code Worker address --pool pool --processes n --lease 2}, once its n workers serve. */
    static WorkerJvm start(String address, String pool, int n) throws IOException, InterruptedException {
        WorkerJvm w = launch(address, pool, n, Map.of());
        try {
            for (int i = 0; i < n; i++) w.workerPids.add(w.awaitServing());
        } catch (AssertionError | InterruptedException e) {
            w.close();
            throw e;
        }
        return w;
    }

    /** The same command with {@code env} added to its environment, without waiting for it. */
    static WorkerJvm launch(String address, String pool, int n, Map<String, String> env) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(Paths.get(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED"));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Worker.class.getName(), address, "--pool", pool,
                "--processes", Integer.toString(n), "--lease", "2"));
        Path err = Files.createTempFile("mp4j-worker", ".stderr");
        ProcessBuilder b = new ProcessBuilder(cmd).redirectError(err.toFile());
        b.environment().putAll(env);
        return new WorkerJvm(b.start(), err);
    }

    private void pump() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String l; (l = r.readLine()) != null; ) lines.add(l);
        } catch (IOException ignored) {
            // the process is gone
        }
    }

    /** The pid of the next worker that says it serves (a supervisor's replacement of one that died). */
    long awaitServing() throws InterruptedException {
        while (true) {
            String l = lines.poll(GUARD_SECONDS, TimeUnit.SECONDS);
            if (l == null) throw new AssertionError("worker " + process.pid() + " did not start serving; stderr:\n" + stderr());
            Matcher m = SERVING.matcher(l);
            if (m.matches()) return Long.parseLong(m.group(2));
        }
    }

    /** The pids of the worker JVMs (this process's own when it runs one worker). */
    List<Long> workerPids() { return workerPids; }

    long pid() { return process.pid(); }

    Process process() { return process; }

    /** SIGKILL, as a crash: nothing is given back, no key is removed. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(GUARD_SECONDS, TimeUnit.SECONDS)) throw new AssertionError("worker " + process.pid() + " did not die");
    }

    String stderr() {
        try {
            return Files.readString(stderr, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "(" + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        List<ProcessHandle> children = process.descendants().toList();
        if (process.isAlive()) kill();
        for (ProcessHandle c : children) {
            c.destroyForcibly();
            c.onExit().join();
        }
        try {
            process.getOutputStream().close();
            Files.deleteIfExists(stderr);
        } catch (IOException ignored) {
            // a temporary file
        }
    }
}
