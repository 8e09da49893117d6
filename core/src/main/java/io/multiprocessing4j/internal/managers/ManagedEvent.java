package io.multiprocessing4j.internal.managers;

import io.multiprocessing4j.sync.Event;

import java.time.Duration;

/** A manager's {@link Event}: a {@link ServerEvent}; waits in {@link Slice}s. */
public final class ManagedEvent extends ManagedObject implements Event {

    ManagedEvent(Token token, Session session) { super(token, session); }

    @Override public boolean isSet() { return (Boolean) invoke("isSet"); }

    @Override public void set() { invoke("set"); }

    @Override public void clear() { invoke("clear"); }

    @Override public void await() throws InterruptedException { await(null); }

    @Override
    public boolean await(Duration timeout) throws InterruptedException {
        long deadline = Slice.deadline(Slice.nanos(timeout));
        for (;;) {
            if (Thread.interrupted()) throw new InterruptedException();
            if ((Boolean) through("await", Slice.next(deadline))) return true;
            if (Slice.over(deadline)) return false;
        }
    }
}
