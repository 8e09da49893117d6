package io.multiprocessing4j.internal.process;

import io.multiprocessing4j.internal.sharedctypes.ShmArray;
import io.multiprocessing4j.internal.sharedctypes.ShmRawArray;
import io.multiprocessing4j.internal.sharedctypes.ShmRawValue;
import io.multiprocessing4j.internal.sharedctypes.ShmValue;
import io.multiprocessing4j.internal.shm.Shared;
import io.multiprocessing4j.internal.sync.SharedLock;
import io.multiprocessing4j.internal.sync.ShmBarrier;
import io.multiprocessing4j.internal.sync.ShmBoundedSemaphore;
import io.multiprocessing4j.internal.sync.ShmCondition;
import io.multiprocessing4j.internal.sync.ShmEvent;
import io.multiprocessing4j.internal.sync.ShmLock;
import io.multiprocessing4j.internal.sync.ShmRLock;
import io.multiprocessing4j.internal.sync.ShmSemaphore;
import io.multiprocessing4j.shm.Handle;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.time.Duration;
import java.util.List;

/**
 * The synchronizers and shared values among a child's arguments, written by hand for
 * {@link ByName}: each is its handle (and its lock's handle), from which the child attaches
 * a view, as Java serialization would rebuild it. A barrier with an action goes by Java
 * serialization (the action is code).
 *
 * <p>Record: a kind byte, the object's handle ({@link Shared#writeHandle}); then for a
 * condition, a synchronized value or array, its lock's own record (the same two); for a
 * barrier, its default timeout (a flag, then seconds and nanoseconds).
 */
final class SharedArgs {
    private SharedArgs() {}

    private static final int LOCK = 1, RLOCK = 2, SEMAPHORE = 3, BOUNDED_SEMAPHORE = 4, EVENT = 5, CONDITION = 6,
            BARRIER = 7, RAW_VALUE = 8, VALUE = 9, RAW_ARRAY = 10, ARRAY = 11;

    /** Whether {@link #write} can carry {@code o}; 0 when it cannot. */
    static int kind(Object o) {
        return switch (o) {
            case ShmLock l -> LOCK;
            case ShmRLock l -> RLOCK;
            case ShmBoundedSemaphore s -> BOUNDED_SEMAPHORE;
            case ShmSemaphore s -> SEMAPHORE;
            case ShmEvent e -> EVENT;
            case ShmCondition c -> CONDITION;
            case ShmBarrier b when !b.hasAction() -> BARRIER;
            case ShmValue v -> VALUE;
            case ShmRawValue v -> RAW_VALUE;
            case ShmArray a -> ARRAY;
            case ShmRawArray a -> RAW_ARRAY;
            case null, default -> 0;
        };
    }

    /**
     * The handles {@code o} carries (its own, then its lock's): two arguments that share one
     * would arrive as two views, where Java serialization gives one object.
     */
    static List<Handle> handles(Object o) {
        SharedLock lock = lockOf(o);
        Handle h = ((Shared) o).handle();
        return lock == null ? List.of(h) : List.of(h, lock.handle());
    }

    /** Whether the child may wait on {@code o} (only a raw value or array never does). */
    static boolean waits(Object o) { return !(o instanceof ShmRawValue || o instanceof ShmRawArray) || lockOf(o) != null; }

    static void write(Object o, DataOutputStream out) throws IOException {
        int kind = kind(o);
        if (kind == 0) throw new IllegalArgumentException("not carried by hand: " + o.getClass().getName());
        out.writeByte(kind);
        Shared.writeHandle(out, ((Shared) o).handle());
        SharedLock lock = lockOf(o);
        if (lock != null) write(lock, out); // a lock's own record: its kind and handle
        if (o instanceof ShmBarrier b) {
            Duration t = b.defaultTimeout();
            out.writeBoolean(t != null);
            if (t != null) {
                out.writeLong(t.getSeconds());
                out.writeInt(t.getNano());
            }
        }
    }

    static Object read(DataInputStream in) throws IOException {
        int kind = in.readUnsignedByte();
        Handle h = Shared.readHandle(in);
        try {
            return switch (kind) {
                case LOCK -> ShmLock.attach(h);
                case RLOCK -> ShmRLock.attach(h);
                case SEMAPHORE -> ShmSemaphore.attach(h);
                case BOUNDED_SEMAPHORE -> ShmBoundedSemaphore.attach(h);
                case EVENT -> ShmEvent.attach(h);
                case CONDITION -> ShmCondition.attach(h, readLock(in));
                case BARRIER -> ShmBarrier.attach(h, null, readTimeout(in));
                case RAW_VALUE -> ShmRawValue.attach(h);
                case VALUE -> ShmValue.attach(h, readLock(in));
                case RAW_ARRAY -> ShmRawArray.attach(h);
                case ARRAY -> ShmArray.attach(h, readLock(in));
                default -> throw new InvalidObjectException("bad shared object kind " + kind);
            };
        } catch (IllegalArgumentException e) {
            throw new InvalidObjectException("bad shared object: " + e.getMessage());
        }
    }

    private static Duration readTimeout(DataInputStream in) throws IOException {
        return in.readBoolean() ? Duration.ofSeconds(in.readLong(), in.readInt()) : null;
    }

    private static SharedLock readLock(DataInputStream in) throws IOException {
        if (!(read(in) instanceof SharedLock lock)) throw new InvalidObjectException("not a lock where a lock's record belongs");
        return lock;
    }

    private static SharedLock lockOf(Object o) {
        return switch (o) {
            case ShmCondition c -> c.lock();
            case ShmValue v -> v.getLock();
            case ShmArray a -> a.getLock();
            default -> null;
        };
    }
}
