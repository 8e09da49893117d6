package io.multiprocessing4j.internal.managers;

import io.multiprocessing4j.managers.RemoteError;
import io.multiprocessing4j.sync.Barrier;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeoutException;

/**
 * A manager's {@link Barrier}: a {@link ServerBarrier}. A thread arrives once, then waits
 * for its cycle in {@link Slice}s; on its timeout or an interrupt it breaks the cycle,
 * unless the cycle passed meanwhile (then it returns, its interrupt status kept).
 */
public final class ManagedBarrier extends ManagedObject implements Barrier {
    private transient volatile Long defaultNanos; // the timeout given at creation, -1 for none; asked once

    ManagedBarrier(Token token, Session session) { super(token, session); }

    @Override
    public int await() throws InterruptedException, BrokenBarrierException {
        Long d = defaultNanos;
        if (d == null) defaultNanos = d = ((Number) raw("timeout")).longValue();
        return await0(d);
    }

    @Override public int await(Duration timeout) throws InterruptedException, BrokenBarrierException { return await0(Slice.nanos(timeout)); }

    private int await0(long nanos) throws InterruptedException, BrokenBarrierException {
        if (Thread.interrupted()) {
            abort();
            throw new InterruptedException();
        }
        long deadline = Slice.deadline(nanos);
        List<?> a = arrive();
        int index = ((Number) a.get(0)).intValue();
        long cycle = ((Number) a.get(1)).longValue();
        if (((Number) a.get(2)).intValue() == ServerBarrier.PASSED) return index;
        for (;;) {
            if (Thread.interrupted()) {
                if (leave(cycle) == ServerBarrier.PASSED) {
                    Thread.currentThread().interrupt();
                    return index;
                }
                throw new InterruptedException();
            }
            int state = (Integer) through("awaitCycle", cycle, Slice.next(deadline));
            if (state == ServerBarrier.PASSED) return index;
            if (state == ServerBarrier.BROKEN) throw new BrokenBarrierException();
            if (Slice.over(deadline)) {
                if (leave(cycle) == ServerBarrier.PASSED) return index;
                throw (BrokenBarrierException) new BrokenBarrierException("timed out").initCause(new TimeoutException());
            }
        }
    }

    private List<?> arrive() throws BrokenBarrierException {
        try {
            return (List<?>) rawChecked("arrive");
        } catch (BrokenBarrierException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new RemoteError("arrive() failed on the manager: " + e, e);
        }
    }

    private int leave(long cycle) { return (Integer) through("leave", cycle); }

    @Override public void reset() { invoke("reset"); }

    @Override public void abort() { invoke("abort"); }

    @Override public int parties() { return (Integer) invoke("parties"); }

    @Override public int nWaiting() { return (Integer) invoke("waiting"); }

    @Override public boolean isBroken() { return (Boolean) invoke("isBroken"); }
}
