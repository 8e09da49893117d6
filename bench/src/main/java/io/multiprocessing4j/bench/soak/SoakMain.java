package io.multiprocessing4j.bench.soak;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.connection.Pipe;
import io.multiprocessing4j.function.ProcessTarget;
import io.multiprocessing4j.internal.os.ProcessIdentity;
import io.multiprocessing4j.pool.Pool;
import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.queues.JoinableQueue;
import io.multiprocessing4j.queues.Queue;
import io.multiprocessing4j.sync.Barrier;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * {@code bench/soak --minutes N}: for N minutes, child processes move numbered items through
 * a Queue, a JoinableQueue and a Pipe whose ends two producers and two consumers share, a
 * Pool maps tasks, and processes contend on a Lock, take turns through a Condition and meet
 * at a Barrier, while a killer sends SIGKILL to a random one of them (pool workers included)
 * every few seconds and the run replaces it. Then {@link Ledger} checks and reports; the exit
 * status is 0 only when nothing failed.
 *
 * <p>Options: {@code --minutes M} (may be fractional; default 1), {@code --kill-every S}
 * (seconds between kills, on average; default 3), {@code --rate R} (items per second per
 * producer; default 300), {@code --seed X}.
 */
public final class SoakMain {
    private SoakMain() {}

    /** One role's process and how to start it again. */
    static final class Worker {
        final Role role;
        final int channel, slot;
        final ProcessTarget target;
        final Object[] args;
        BaseProcess process;

        Worker(Role role, int channel, int slot, ProcessTarget target, Object... args) {
            this.role = role;
            this.channel = channel;
            this.slot = slot;
            this.target = target;
            this.args = args;
        }
    }

    public static void main(String[] argv) throws Exception {
        double minutes = 1, killEvery = 3;
        int rate = 300;
        long seed = System.nanoTime();
        for (int i = 0; i < argv.length; i++) {
            String v = i + 1 < argv.length ? argv[i + 1] : null;
            switch (argv[i]) {
                case "--minutes" -> minutes = Double.parseDouble(v);
                case "--kill-every" -> killEvery = Double.parseDouble(v);
                case "--rate" -> rate = Integer.parseInt(v);
                case "--seed" -> seed = Long.parseLong(v);
                default -> {
                    System.err.println("usage: SoakMain [--minutes M] [--kill-every S] [--rate R] [--seed X]");
                    System.exit(2);
                }
            }
            i++;
        }
        System.err.printf("soak: %.2f minutes, a kill every ~%.1f s, %d items/s per producer, seed %d%n", minutes, killEvery, rate, seed);
        System.exit(run(minutes, killEvery, rate, seed) ? 0 : 1);
    }

    static boolean run(double minutes, double killEvery, int rate, long seed) throws Exception {
        SplittableRandom rnd = new SplittableRandom(seed);
        long runNanos = (long) (minutes * 60e9);
        long perProducer = (long) (minutes * 60 * rate * 1.5) + 1000; // room for the whole run: producers stop short of it
        Ledger ledger = new Ledger();
        Set<Long> pids = new LinkedHashSet<>(); // every process of this run, for the leak check
        // Small child JVMs: eighteen of them share the machine.
        Context ctx = Multiprocessing.getContext("spawn")
                .withJvmOptions("-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k");
        Board board = Board.create(perProducer);
        Pool pool = null;
        PoolDriver driver = null;
        List<Worker> workers = new ArrayList<>();
        long start = System.nanoTime();
        try {
            Queue<Long> q = ctx.queue();
            JoinableQueue<Long> jq = ctx.joinableQueue(64);
            Pipe pipe = ctx.pipe(false, 4096);
            Barrier barrier = ctx.barrier(2);
            String bn = board.name();
            long pp = perProducer;
            for (int p = 0; p < Board.PRODUCERS; p++) {
                workers.add(new Worker(Role.QUEUE_PRODUCER, Board.QUEUE, p, Workers::queueProducer, bn, pp, p, Board.QUEUE, q, rate));
                workers.add(new Worker(Role.PIPE_PRODUCER, Board.PIPE, p, Workers::pipeProducer, bn, pp, p, Board.PIPE, pipe.writer(), rate));
            }
            workers.add(new Worker(Role.JOINABLE_PRODUCER, Board.JOINABLE, 0, Workers::queueProducer, bn, pp, 0, Board.JOINABLE, jq, rate));
            for (int c = 0; c < Board.CONSUMERS; c++) {
                workers.add(new Worker(Role.QUEUE_CONSUMER, Board.QUEUE, c, Workers::queueConsumer, bn, pp, c, Board.QUEUE, q));
                workers.add(new Worker(Role.PIPE_CONSUMER, Board.PIPE, c, Workers::pipeConsumer, bn, pp, c, Board.PIPE, pipe.reader()));
            }
            workers.add(new Worker(Role.JOINABLE_CONSUMER, Board.JOINABLE, 0, Workers::queueConsumer, bn, pp, 0, Board.JOINABLE, jq));
            var lock = ctx.lock();
            var cond = ctx.condition();
            for (int i = 0; i < 2; i++) {
                workers.add(new Worker(Role.LOCKER, -1, i, Workers::locker, bn, pp, i, lock));
                workers.add(new Worker(Role.TURN_TAKER, -1, i, Workers::turnTaker, bn, pp, i, cond));
                workers.add(new Worker(Role.BARRIER_PARTY, -1, i, Workers::barrierParty, bn, pp, i, barrier));
            }
            for (Worker w : workers) start(ctx, w, pids);
            pool = ctx.pool(2);
            driver = new PoolDriver(pool, ledger);

            // The clock starts when every child runs: eighteen JVMs starting at once take a while.
            long ready = System.nanoTime() + 4 * Workers.WAIT.toNanos();
            while (board.get(Board.STARTED) < workers.size() && System.nanoTime() < ready) Thread.sleep(100);
            if (board.get(Board.STARTED) < workers.size()) ledger.hang(Role.PARENT, "the children did not all start");
            try { // the pool's workers too: a first task waits for both to start
                io.multiprocessing4j.function.SerializableFunction<Long, Long> f = Workers::poolTask;
                pool.mapAsync(f, List.of(1L, 2L), 1, null, null).get(Duration.ofNanos(4 * Workers.WAIT.toNanos()));
            } catch (java.util.concurrent.TimeoutException e) {
                ledger.hang(Role.PARENT, "the pool's workers did not start");
            }
            driver.start();
            System.err.printf("soak: %d children started in %.1f s; the killer starts%n", workers.size(), (System.nanoTime() - start) / 1e9);
            start = System.nanoTime();

            // ---- the killer
            long end = start + runNanos, nextStatus = start + 10_000_000_000L;
            long nextKill = System.nanoTime() + gap(rnd, killEvery);
            while (System.nanoTime() < end) {
                Thread.sleep(100);
                for (BaseProcess p : BaseProcess.activeChildren()) if (p.pid() != null) pids.add(p.pid());
                for (Worker w : workers) {
                    if (!w.process.isAlive()) { // not killed by us: a failure, but keep the run going
                        ledger.unexpectedDeath(w.role, w.process.pid(), w.process.exitCode());
                        replace(ctx, w, board, barrier, ledger, pids);
                    }
                }
                if (barrier.isBroken()) barrier.reset(); // broken by a party's timeout (counted as its hang)
                if (System.nanoTime() > nextStatus) {
                    nextStatus += 10_000_000_000L;
                    System.err.printf("soak: %.0f s: delivered %d / %d / %d (queue / joinable / pipe), lock sections %d, turns %d, barrier rounds %d, pool %s%n",
                            (System.nanoTime() - start) / 1e9, board.delivered(0), board.delivered(1), board.delivered(2),
                            board.get(Board.LOCK_SECTIONS), board.get(Board.COND_ROUNDS), board.get(Board.BARRIER_ROUNDS), driver.done());
                }
                if (System.nanoTime() < nextKill) continue;
                nextKill = System.nanoTime() + gap(rnd, killEvery);
                List<Long> poolPids = poolWorkers(workers);
                int pick = rnd.nextInt(workers.size() + poolPids.size());
                if (pick >= workers.size()) {
                    long pid = poolPids.get(pick - workers.size());
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                    ledger.killed(Role.POOL_WORKER);
                    System.err.println("soak: killed " + Role.POOL_WORKER.label() + " " + pid);
                    continue;
                }
                Worker w = workers.get(pick);
                w.process.kill();
                ledger.killed(w.role);
                System.err.println("soak: killed " + w.role.label() + " " + w.process.pid());
                replace(ctx, w, board, barrier, ledger, pids);
            }
            System.err.println("soak: time is up; stopping");

            // ---- the end: stop everything, then let the consumers drain up to their sentinels
            board.set(Board.STOP, 1);
            barrier.abort(); // releases parties waiting for a partner that has already stopped
            driver.stop();
            for (Worker w : workers) if (!w.role.consumer()) finish(w, ledger);
            for (int c = 0; c < Board.CONSUMERS; c++) {
                q.put(null, true, null);
                pipe.writer().sendBytes(Workers.message(Workers.SENTINEL, 8));
            }
            jq.put(null, true, null);
            for (Worker w : workers) if (w.role.consumer()) finish(w, ledger);
            ledger.joinableJoined(jq.join(Duration.ofSeconds(10)));
            ledger.tally(board, (System.nanoTime() - start) / 60e9);
        } finally {
            if (driver != null) driver.stop();
            for (Worker w : workers) {
                if (w.process != null && w.process.isAlive()) {
                    w.process.kill();
                    w.process.join(Workers.WAIT);
                }
            }
            if (pool != null) {
                pool.shutdown();
                if (!pool.awaitTermination(60, java.util.concurrent.TimeUnit.SECONDS)) {
                    ledger.hang(Role.PARENT, "the pool did not end within 60 s");
                    pool.terminate();
                }
            }
            for (BaseProcess p : BaseProcess.activeChildren()) if (p.pid() != null) pids.add(p.pid());
            board.close();
            ctx.close();
        }
        ledger.checkLeaks(pids, ProcessIdentity.current().token());
        return ledger.report();
    }

    private static long gap(SplittableRandom rnd, double killEvery) {
        return (long) (killEvery * 1e9 * (0.5 + rnd.nextDouble()));
    }

    private static void start(Context ctx, Worker w, Set<Long> pids) {
        w.process = ctx.process(w.target, w.args);
        w.process.setName("soak-" + w.role.label() + "-" + w.slot);
        w.process.setDaemon(true);
        w.process.start();
        pids.add(w.process.pid());
    }

    /**
     * After {@code w}'s process died: note what it held (read once it is surely dead), move a
     * producer past the id it was putting, and start a replacement in the same slot.
     */
    private static void replace(Context ctx, Worker w, Board board, Barrier barrier, Ledger ledger, Set<Long> pids)
            throws InterruptedException {
        if (w.role == Role.BARRIER_PARTY) barrier.abort(); // the survivor would wait for it until its timeout
        if (!w.process.join(Workers.WAIT)) ledger.hang(Role.PARENT, "a killed " + w.role.label() + " did not end");
        if (w.role.producer()) {
            long k = board.progress(w.channel, w.slot);
            if (k < board.perProducer) {
                ledger.producerInFlight(w.channel, board.id(w.slot, k));
                board.setProgress(w.channel, w.slot, k + 1);
            }
        } else if (w.role.consumer()) {
            long held = board.hand(w.channel, w.slot);
            ledger.consumerKilled(w.channel, held);
            board.setHand(w.channel, w.slot, -1);
        }
        w.process.close();
        start(ctx, w, pids);
        if (w.role == Role.BARRIER_PARTY) barrier.reset();
    }

    /** The pool's workers: children of this JVM that are none of ours. */
    private static List<Long> poolWorkers(List<Worker> workers) {
        Set<Long> ours = new LinkedHashSet<>();
        for (Worker w : workers) ours.add(w.process.pid());
        List<Long> l = new ArrayList<>();
        for (BaseProcess p : BaseProcess.activeChildren()) {
            Long pid = p.pid();
            if (pid != null && !ours.contains(pid) && p.isAlive()) l.add(pid);
        }
        return l;
    }

    private static void finish(Worker w, Ledger ledger) throws InterruptedException {
        if (!w.process.join(Workers.WAIT)) {
            ledger.hang(Role.PARENT, w.role.label() + " " + w.process.pid() + " did not end within " + Workers.WAIT + " of the stop");
            w.process.kill();
            w.process.join(Workers.WAIT);
        } else if (w.process.exitCode() != 0) {
            ledger.unexpectedDeath(w.role, w.process.pid(), w.process.exitCode());
        }
    }
}
