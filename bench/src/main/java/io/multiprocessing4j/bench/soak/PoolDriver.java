package io.multiprocessing4j.bench.soak;

import io.multiprocessing4j.pool.AsyncResult;
import io.multiprocessing4j.pool.Pool;
import io.multiprocessing4j.pool.WorkerLostException;

import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * A thread of the parent that keeps a few tasks in the pool at all times and checks each
 * result: right, or a {@link WorkerLostException} (the one task a killed worker was running;
 * the README's promise), never another failure and never a wait past {@link Workers#WAIT}.
 */
final class PoolDriver {
    private static final int IN_FLIGHT = 6;

    private final Pool pool;
    private final Ledger ledger;
    private final Thread thread;
    private volatile boolean stopping;

    PoolDriver(Pool pool, Ledger ledger) {
        this.pool = pool;
        this.ledger = ledger;
        this.thread = Thread.ofPlatform().name("soak-pool-driver").unstarted(this::drive);
    }

    void start() { thread.start(); }

    /** Tasks whose right result has come back. */
    long done() { return done; }

    private volatile long done;

    /** Stops submitting, waits for what was submitted, and returns. */
    void stop() throws InterruptedException {
        stopping = true;
        thread.join();
    }

    private void drive() {
        ArrayDeque<long[]> inputs = new ArrayDeque<>();
        ArrayDeque<AsyncResult<Long>> results = new ArrayDeque<>();
        long next = 0;
        try {
            while (!stopping || !results.isEmpty()) {
                while (!stopping && results.size() < IN_FLIGHT) {
                    long x = next++;
                    inputs.add(new long[] {x});
                    results.add(pool.applyAsync(() -> Workers.poolTask(x)));
                }
                long x = inputs.poll()[0];
                AsyncResult<Long> r = results.poll();
                try {
                    long v = r.get(Workers.WAIT);
                    if (v == x * x + 1) {
                        ledger.poolDone();
                        done++;
                    }
                    else ledger.poolWrong("task " + x + " returned " + v);
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof WorkerLostException) ledger.poolLost();
                    else ledger.poolWrong("task " + x + " failed: " + e.getCause());
                } catch (TimeoutException e) {
                    ledger.hang(Role.PARENT, "pool task " + x + " gave no result");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            ledger.poolWrong("the pool failed: " + e);
            e.printStackTrace();
        }
    }
}
