package io.multiprocessing4j.bench;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.sharedctypes.RawValue;
import io.multiprocessing4j.sharedctypes.Value;
import io.multiprocessing4j.sync.Barrier;
import io.multiprocessing4j.sync.Semaphore;
import io.multiprocessing4j.sync.Lock;

import java.util.List;
import java.util.Map;

import static io.multiprocessing4j.bench.BenchCase.check;

/**
 * Peer case 7, {@code value_lock_increments}: {@code Value('i', 0, lock=True)} (here
 * {@code ctx.value('i', 0)}, with its default {@code RLock}); 2 child processes each do N x
 * {@code with v.get_lock(): v.value += 1}, here {@code lock(); raw.setLong(raw.getLong() + 1);
 * unlock()} with {@code raw = v.getObj()}: the lock is taken once per increment, as the
 * peer's {@code with} takes it (the peer's {@code v.value} accessors re-enter the RLock
 * they already hold; the Java accessors of {@code v} would skip it, so the two forms cost
 * the same up to that check). Clock: from the parent leaving the Barrier (parent + 2
 * children) to both children reporting done. The peer's children report through a Pipe;
 * these release a Semaphore, which the parent acquires twice: the measured part is the
 * same, the increments and one wake-up per child. Checks: both children report, exit 0,
 * and the final value is 2N.
 *
 * <p>The children are fresh JVMs, so at the peer's N much of the clock is their loop running
 * interpreted before the JIT compiles it; the case
 * keeps the peer's N and its protocol rather than warming the children up first.
 */
final class ValueLockIncrements implements BenchCase {
    @Override
    public String name() { return "value_lock_increments"; }

    @Override
    public int children() { return 2; }

    @Override
    public List<Result> run(boolean quick) throws Exception {
        int n = quick ? 10_000 : 100_000;
        try (Context ctx = Multiprocessing.getContext("spawn")) {
            Value v = ctx.value('i', 0);
            Barrier bar = ctx.barrier(3);
            Semaphore done = ctx.semaphore(0);
            BaseProcess[] kids = new BaseProcess[2];
            for (int k = 0; k < kids.length; k++) {
                kids[k] = Children.context().process(args -> {
                    Value val = (Value) args[0];
                    Barrier b = (Barrier) args[1];
                    int count = (Integer) args[2];
                    Semaphore d = (Semaphore) args[3];
                    Lock lock = val.getLock();
                    RawValue raw = val.getObj();
                    b.await();
                    for (int i = 0; i < count; i++) {
                        lock.lock();
                        try {
                            raw.setLong(raw.getLong() + 1);
                        } finally {
                            lock.unlock();
                        }
                    }
                    d.release();
                }, v, bar, n, done);
                kids[k].setDaemon(true); // as the peer's Kids: a failed check ends them when the context closes
                kids[k].start();
            }
            bar.await(Timing.JOIN_TIMEOUT);
            long t0 = System.nanoTime();
            boolean both = done.acquire(true, Timing.JOIN_TIMEOUT) && done.acquire(true, Timing.JOIN_TIMEOUT);
            long t1 = System.nanoTime();
            check(both, "timed out waiting for a child's result");
            for (BaseProcess p : kids) {
                check(p.join(Timing.JOIN_TIMEOUT) && Integer.valueOf(0).equals(p.exitCode()), p.name() + " exit code " + p.exitCode());
            }
            check(v.getLong() == 2L * n, "final value " + v.getLong() + " != " + 2L * n);
            return List.of(new Result("increments_per_s", 2.0 * n / ((t1 - t0) / 1e9), "increments/s", Map.of("n", n)));
        }
    }
}
