package io.multiprocessing4j.distributed.pool;

import io.multiprocessing4j.distributed.DistributedOptions;
import io.multiprocessing4j.distributed.internal.Home;
import io.multiprocessing4j.distributed.internal.pool.WorkerLoop;
import io.multiprocessing4j.distributed.internal.pool.WorkerSupervisor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The worker command of a {@link DistributedPool}, what {@code bin/worker} runs:
 * <pre>
 * Worker redis://host:port --pool NAME [--processes N] [--lease SECONDS] [--timeout SECONDS]
 * </pre>
 * {@code --processes N} (default: the number of processors) keeps N worker JVMs running, each
 * taking one task at a time from the pool's queue; with 1 the worker runs in this JVM. The
 * server's credentials come from the environment: {@code MP4J_REDIS_USERNAME},
 * {@code MP4J_REDIS_PASSWORD}. {@code --lease} (default 10 s) is how long a worker that stops
 * renewing (killed, cut off) is still taken for alive: its task fails (or is retried) after
 * it. The class path must hold the tasks' classes. A task may use the distributed objects
 * ({@code Lock}, {@code Queue}, ...) it was given: the worker has a context open on the
 * server.
 *
 * <p>Each worker prints {@code worker ID (pid P) serving pool NAME at ADDRESS} once it has
 * joined. SIGTERM (Ctrl-C) stops the workers: each finishes its task, or gives it back to the
 * queue after {@link WorkerLoop#GRACE_MILLIS}. Exit code 2 for a bad command line, 1 when the
 * server cannot be reached.
 */
public final class Worker {
    private Worker() {}

    public static void main(String[] args) throws Exception {
        String address = null, pool = null;
        int processes = Runtime.getRuntime().availableProcessors();
        long lease = 10, timeout = 5, parent = -1;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--pool" -> pool = args[++i];
                    case "--processes" -> processes = Integer.parseInt(args[++i]);
                    case "--lease" -> lease = Long.parseLong(args[++i]);
                    case "--timeout" -> timeout = Long.parseLong(args[++i]);
                    case "--parent" -> parent = Long.parseLong(args[++i]);
                    default -> {
                        if (args[i].startsWith("--") || address != null) throw new IllegalArgumentException("unknown argument " + args[i]);
                        address = args[i];
                    }
                }
            }
            if (address == null || pool == null || processes < 1) throw new IllegalArgumentException("an address and --pool are required");
        } catch (RuntimeException e) {
            System.err.println("worker: " + e.getMessage() + "\nusage: worker redis://host:port --pool NAME [--processes N]"
                    + " [--lease SECONDS] [--timeout SECONDS]");
            System.exit(2);
            return;
        }
        if (processes > 1) {
            List<String> one = new ArrayList<>(List.of(address, "--pool", pool, "--processes", "1", "--lease", Long.toString(lease),
                    "--timeout", Long.toString(timeout)));
            new WorkerSupervisor(Worker.class.getName(), one).run(processes);
            return;
        }
        DistributedOptions.Builder b = DistributedOptions.builder(address).timeout(Duration.ofSeconds(timeout)).lease(Duration.ofSeconds(lease));
        if (System.getenv("MP4J_REDIS_USERNAME") != null) b.username(System.getenv("MP4J_REDIS_USERNAME"));
        if (System.getenv("MP4J_REDIS_PASSWORD") != null) b.password(System.getenv("MP4J_REDIS_PASSWORD"));
        serve(b.build(), pool, parent);
    }

    private static void serve(DistributedOptions options, String pool, long parent) throws InterruptedException {
        Home home; // a context in this JVM, so that tasks may use the distributed objects they were given
        WorkerLoop loop;
        try {
            home = new Home(options);
            loop = new WorkerLoop(home.server(), pool, options.lease().toMillis());
        } catch (RuntimeException e) {
            System.err.println("worker: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch loopEnded = new CountDownLatch(1); // not a join of this thread: once main returns, it waits for the hooks
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            loop.stop();
            try {
                loopEnded.await(WorkerLoop.GRACE_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                // leave at once
            }
            loop.leave();
            home.close();
        }, "mp4j-worker-stop"));
        if (parent > 0) { // a supervised worker ends with its supervisor, however that ends
            ProcessHandle.of(parent).ifPresentOrElse(p -> p.onExit().thenRun(() -> System.exit(0)), () -> System.exit(0));
        }
        System.out.println("worker " + loop.id() + " (pid " + ProcessHandle.current().pid() + ") serving pool " + pool + " at "
                + options.address());
        System.out.flush();
        try {
            loop.run();
        } finally {
            loopEnded.countDown();
        }
    }
}
