package io.multiprocessing4j.shm;

import java.io.Serial;
import java.lang.foreign.MemorySegment;

/**
 * Thrown to a thread that waits on a shared object (a lock, an event, a queue, a pipe end,
 * ...) whose memory was closed with the context that made it, in this process or in another
 * one. A thread that was waiting when that happened gets it within one sleep slice of the
 * waiting engine (tens of milliseconds), whatever it was waiting for; it is not a timeout,
 * and the wait did not succeed. In the closing process any later use of the object fails
 * too, with this or a plain {@link IllegalStateException}; elsewhere, accesses that do not
 * wait go on reading the last contents.
 *
 * <p>Unchecked, as {@link java.nio.channels.ClosedSelectorException} is: an object used after
 * its owner closed it is a bug of the program or the end of its run, and every waiting
 * method of the library (including those that also declare {@link InterruptedException})
 * may throw it. Methods that declare {@link java.io.IOException} for a closed channel say
 * in their own javadoc what they throw instead.
 */
public class ClosedObjectException extends IllegalStateException {
    @Serial private static final long serialVersionUID = 1L;

    public ClosedObjectException(String message) {
        super(message);
    }

    public ClosedObjectException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * What an {@link IllegalStateException} from an access to {@code memory} means: a
     * {@code ClosedObjectException} when the memory's mapping is closed (an access racing
     * with the close fails with the JDK's plain "Already closed"), otherwise {@code e}.
     */
    public static IllegalStateException of(MemorySegment memory, IllegalStateException e) {
        if (e instanceof ClosedObjectException || memory.scope().isAlive()) return e;
        return new ClosedObjectException("shared object is closed (its memory was closed with its context)", e);
    }
}
