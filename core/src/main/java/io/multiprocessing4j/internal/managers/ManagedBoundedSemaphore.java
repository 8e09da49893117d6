package io.multiprocessing4j.internal.managers;

import io.multiprocessing4j.sync.BoundedSemaphore;

/** A manager's {@link BoundedSemaphore}: its server side refuses a release above the initial value. */
public final class ManagedBoundedSemaphore extends ManagedSemaphore implements BoundedSemaphore {

    ManagedBoundedSemaphore(Token token, Session session) { super(token, session); }
}
