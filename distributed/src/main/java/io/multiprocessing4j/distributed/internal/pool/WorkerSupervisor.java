package io.multiprocessing4j.distributed.internal.pool;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Keeps {@code n} worker JVMs running, each a {@code Worker ... --processes 1} started with
 * this JVM's {@code java}, options and class path: one worker per JVM, so a crash loses one
 * task. A worker that ends while the supervisor runs is started again (after a pause that
 * grows while workers end soon after starting, as when the server is unreachable). The
 * workers end when the supervisor ends, however it ends: stopping it (SIGTERM) stops them
 * gracefully, and a worker whose supervisor died exits by itself ({@code --parent}).
 */
public final class WorkerSupervisor {
    private static final long QUICK_EXIT_MILLIS = 10_000;
    private static final long MAX_PAUSE_MILLIS = 30_000;

    private final List<String> command;
    private final List<Process> children = new ArrayList<>();
    private volatile boolean stopping;

    /** @param workerArgs the arguments of each worker's {@code Worker} main, without {@code --parent} */
    public WorkerSupervisor(String mainClass, List<String> workerArgs) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(workerArgs);
        cmd.addAll(List.of("--parent", Long.toString(ProcessHandle.current().pid())));
        this.command = List.copyOf(cmd);
    }

    /** Runs {@code n} workers until this JVM is asked to stop; never returns normally. */
    public void run(int n) throws InterruptedException {
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopAll, "mp4j-worker-supervisor-stop"));
        List<Thread> keepers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int slot = i + 1;
            keepers.add(Thread.ofPlatform().name("mp4j-worker-keeper-" + slot).start(() -> keep(slot)));
        }
        for (Thread t : keepers) t.join();
    }

    private void keep(int slot) {
        long pause = 1000;
        while (!stopping) {
            long started = System.nanoTime();
            try {
                Process p = start();
                if (p == null) return;
                int code = p.waitFor();
                if (stopping) return;
                System.err.println("worker " + slot + " (pid " + p.pid() + ") exited with code " + code + "; starting another");
            } catch (IOException e) {
                System.err.println("worker " + slot + " cannot be started: " + e);
            } catch (InterruptedException e) {
                return;
            }
            boolean quick = System.nanoTime() - started < TimeUnit.MILLISECONDS.toNanos(QUICK_EXIT_MILLIS);
            pause = quick ? Math.min(MAX_PAUSE_MILLIS, pause * 2) : 1000;
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private Process start() throws IOException {
        synchronized (children) {
            if (stopping) return null;
            Process p = new ProcessBuilder(command).inheritIO().start();
            children.add(p);
            return p;
        }
    }

    /** SIGTERM to every worker (each finishes or gives back its task), then SIGKILL to those still running after the grace. */
    private void stopAll() {
        List<Process> all;
        synchronized (children) {
            stopping = true;
            all = new ArrayList<>(children);
        }
        for (Process p : all) p.destroy();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WorkerLoop.GRACE_MILLIS + 5000);
        for (Process p : all) {
            try {
                if (!p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) p.destroyForcibly();
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        }
    }
}
