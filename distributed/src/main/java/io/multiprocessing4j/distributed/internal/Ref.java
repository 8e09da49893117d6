package io.multiprocessing4j.distributed.internal;

import java.io.InvalidObjectException;
import java.io.ObjectStreamException;
import java.io.Serial;
import java.io.Serializable;

/**
 * What a distributed object becomes when it is serialized (a process argument, a queue
 * item, a message): the server's address, the kind, the name and the numbers it was made
 * with. Rebuilt by a context open on the same address in the receiving JVM (or one that
 * JVM opens with the default options), as the same object there; no password travels.
 */
record Ref(String address, String kind, String name, long[] params, Serializable extra) implements Serializable {
    Ref(String address, String kind, String name, long[] params) {
        this(address, kind, name, params, null);
    }

    @Serial
    private static final long serialVersionUID = 1L;

    @Serial
    private Object readResolve() throws ObjectStreamException {
        try {
            return Factory.attach(Home.forAddress(address), this);
        } catch (RuntimeException e) {
            InvalidObjectException x = new InvalidObjectException("cannot rebuild the " + kind + " '" + name + "': " + e.getMessage());
            x.initCause(e);
            throw x;
        }
    }
}
