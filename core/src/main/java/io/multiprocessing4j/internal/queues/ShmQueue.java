package io.multiprocessing4j.internal.queues;

import io.multiprocessing4j.internal.os.Timeouts;
import io.multiprocessing4j.internal.os.MemoryFault;
import io.multiprocessing4j.queues.Empty;
import io.multiprocessing4j.queues.Full;
import io.multiprocessing4j.queues.Queue;
import io.multiprocessing4j.serial.Codec;
import io.multiprocessing4j.internal.shm.Heap;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.AbstractQueue;
import java.util.Collection;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The shared-memory {@link Queue}: items are appended to and read from a {@link ChunkLog}.
 *
 * <p>There is no feeder thread: a put has written the item to shared memory when it
 * returns, so a process that has put items can always exit and be joined (Python's
 * best-known deadlock cannot happen). <b>Peers that die:</b> see {@link ChunkLog}: a
 * producer or consumer killed in the middle of a call costs at most that item. A queue
 * whose shared memory another process truncated fails its puts and gets with an
 * {@link UncheckedIOException} ("the shared memory of this queue is gone"), see
 * {@link MemoryFault}.
 *
 * @param <E> the type of the items
 */
public class ShmQueue<E> extends AbstractQueue<E> implements Queue<E>, Serializable {
    @Serial private static final long serialVersionUID = 1L;

    final ChunkLog log;
    private transient Codec codec; // travels with the queue: see writeObject
    private transient volatile boolean closed;

    ShmQueue(ChunkLog log, Codec codec) {
        this.log = log;
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    /**
     * A new queue carved from {@code heap}, for at most {@code maxsize} items (0 or less:
     * unbounded, Python's rule), whose items {@code codec} encodes.
     */
    public static <E> ShmQueue<E> create(Heap heap, int maxsize, Codec codec) {
        return new ShmQueue<>(ChunkLog.create(heap, Math.max(0, maxsize), ChunkLog.DEFAULT_CHUNK), codec);
    }

    /**
     * Writes the codec after the fields, or null for the default codec, which the receiving
     * JVM has as its own (so the common case sends no codec class). Another codec must be
     * serializable to go with the queue.
     */
    @Serial
    private void writeObject(ObjectOutputStream o) throws IOException {
        o.defaultWriteObject();
        o.writeObject(codec == Codec.defaultCodec() ? null : codec);
    }

    @Serial
    private void readObject(ObjectInputStream i) throws IOException, ClassNotFoundException {
        i.defaultReadObject();
        Codec c = (Codec) i.readObject();
        codec = c == null ? Codec.defaultCodec() : c;
    }

    /**
     * Whether {@code o} is a queue that {@link #writeQueue} can carry to a child in a few
     * words, without Java serialization (whose first use costs a fresh JVM tens of
     * milliseconds): a queue or joinable queue with the default codec, which the child has too.
     */
    public static boolean portable(Object o) {
        return (o.getClass() == ShmQueue.class || o.getClass() == ShmJoinableQueue.class)
                && ((ShmQueue<?>) o).codec == Codec.defaultCodec();
    }

    /** Writes the {@link #portable} queue {@code q} for {@link #readQueue}: its kind and its log's handles. */
    public static void writeQueue(Object q, DataOutputStream out) throws IOException {
        out.writeBoolean(q instanceof ShmJoinableQueue);
        ((ShmQueue<?>) q).log.writeHandles(out);
    }

    /** The queue {@link #writeQueue} wrote, mapped in this process. */
    public static ShmQueue<Object> readQueue(DataInputStream in) throws IOException {
        boolean joinable = in.readBoolean();
        ChunkLog log = ChunkLog.readHandles(in);
        return joinable ? ShmJoinableQueue.of(log) : new ShmQueue<>(log, Codec.defaultCodec());
    }

    // ------------------------------------------------------------------ Python

    @Override
    public void put(E item, boolean block, Duration timeout) throws InterruptedException {
        if (!put0(item, deadline(block, timeout))) throw new Full();
    }

    @Override
    public E get(boolean block, Duration timeout) throws InterruptedException {
        Object[] got = get0(deadline(block, timeout), true);
        if (got == null) throw new Empty();
        return cast(got[0]);
    }

    @Override
    public E get() throws InterruptedException { return get(true, null); }

    @Override
    public void putNowait(E item) {
        try {
            put(item, false, null);
        } catch (InterruptedException e) {
            throw new AssertionError("a put that does not block was interrupted", e);
        }
    }

    @Override
    public E getNowait() {
        try {
            return get(false, null);
        } catch (InterruptedException e) {
            throw new AssertionError("a get that does not block was interrupted", e);
        }
    }

    @Override
    public int qsize() { return (int) Math.min(Integer.MAX_VALUE, log.size()); }

    @Override
    public boolean empty() {
        checkOpen();
        return log.size() == 0;
    }

    @Override
    public boolean full() {
        int max = log.maxsize();
        return max > 0 && log.size() >= max;
    }

    @Override
    public int maxsize() { return log.maxsize(); }

    @Override
    public void close() { closed = true; }

    @Override
    public boolean isClosed() { return closed; }

    // ------------------------------------------------------------------ BlockingQueue

    @Override
    public void put(E e) throws InterruptedException {
        put0(Objects.requireNonNull(e), Long.MAX_VALUE);
    }

    @Override
    public boolean offer(E e) {
        try {
            return put0(Objects.requireNonNull(e), 0);
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public boolean offer(E e, long timeout, TimeUnit unit) throws InterruptedException {
        return put0(Objects.requireNonNull(e), Timeouts.deadline(Timeouts.nanos(timeout, unit)));
    }

    @Override
    public E take() throws InterruptedException {
        return cast(get0(Long.MAX_VALUE, true)[0]);
    }

    @Override
    public E poll(long timeout, TimeUnit unit) throws InterruptedException {
        Object[] got = get0(Timeouts.deadline(Timeouts.nanos(timeout, unit)), true);
        return got == null ? null : cast(got[0]);
    }

    @Override
    public E poll() {
        try {
            Object[] got = get0(0, true);
            return got == null ? null : cast(got[0]);
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override
    public E peek() {
        try {
            Object[] got = get0(0, false);
            return got == null ? null : cast(got[0]);
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override
    public int remainingCapacity() {
        int max = log.maxsize();
        return max == 0 ? Integer.MAX_VALUE : (int) Math.max(0, max - log.size());
    }

    @Override
    public int drainTo(Collection<? super E> c) { return drainTo(c, Integer.MAX_VALUE); }

    @Override
    public int drainTo(Collection<? super E> c, int maxElements) {
        if (c == this) throw new IllegalArgumentException("cannot drain a queue into itself");
        int n = 0;
        for (E e; n < maxElements && (e = poll()) != null; n++) c.add(e);
        return n;
    }

    @Override
    public int size() { return qsize(); }

    @Override
    public boolean isEmpty() { return log.size() == 0; }

    /** Not supported: see {@link Queue}. */
    @Override
    public Iterator<E> iterator() {
        throw new UnsupportedOperationException("a queue shared between processes cannot be iterated");
    }

    // ------------------------------------------------------------------ internals

    boolean countsTasks() { return false; }

    private boolean put0(Object item, long deadline) throws InterruptedException {
        checkOpen();
        byte[] bytes;
        try {
            bytes = codec.encode(item);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot put " + item.getClass().getName() + " on a queue: " + e.getMessage(), e);
        }
        try {
            return log.put(bytes, deadline, countsTasks());
        } catch (InterruptedIOException e) {
            Thread.interrupted();
            throw interrupted(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InternalError e) {
            throw new UncheckedIOException(MemoryFault.io(e, "this queue"));
        }
    }

    /** The item in a one-element array (it may be null), or null on timeout. */
    private Object[] get0(long deadline, boolean remove) throws InterruptedException {
        checkOpen();
        byte[] bytes;
        try {
            bytes = log.get(deadline, remove);
            if (bytes == null) return null;
            return new Object[] {codec.decode(bytes)};
        } catch (InterruptedIOException e) {
            Thread.interrupted();
            throw interrupted(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InternalError e) {
            throw new UncheckedIOException(MemoryFault.io(e, "this queue"));
        }
    }

    private static InterruptedException interrupted(InterruptedIOException e) {
        InterruptedException x = new InterruptedException(e.getMessage());
        x.initCause(e);
        return x;
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("Queue " + log.handle().token() + " is closed");
    }

    /** The deadline of a Python-style call: none to wait for without {@code block}; as {@link Timeouts#nanos(Duration)}. */
    static long deadline(boolean block, Duration timeout) {
        return block ? Timeouts.deadline(Timeouts.nanos(timeout)) : 0;
    }

    @SuppressWarnings("unchecked")
    private static <E> E cast(Object o) { return (E) o; }

    /** Removes the queue's chunks: called by the context that made it, when it closes. */
    public void destroy() { log.destroy(); }

    @Override
    public String toString() { return getClass().getSimpleName() + "(" + log + (closed ? ", closed" : "") + ")"; }
}
