package io.multiprocessing4j.internal.managers;

import io.multiprocessing4j.sync.RLock;

/** A manager's {@link RLock}: a reentrant {@link ServerLock}. */
public final class ManagedRLock extends ManagedLock implements RLock {

    ManagedRLock(Token token, Session session) { super(token, session); }

    @Override public int getHoldCount() { return (Integer) invoke("holdCount", Slice.thread()); }
}
