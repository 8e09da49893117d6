package io.multiprocessing4j.distributed.internal;

import io.multiprocessing4j.queues.Empty;
import io.multiprocessing4j.queues.Full;
import io.multiprocessing4j.queues.Queue;
import io.multiprocessing4j.serial.Codec;

import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.AbstractQueue;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Python's {@code Queue} on the server ({@link QueueCore}), a {@link java.util.concurrent.BlockingQueue}
 * as {@link Queue} says: items encoded with the library's default codec, Python's methods
 * carrying null items, the JDK's refusing them, {@link #close()} closing this view only.
 */
class RedisQueue<E> extends AbstractQueue<E> implements Queue<E>, Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    final transient QueueCore core;
    final String name;
    private final transient Codec codec = Codec.defaultCodec();
    private transient volatile boolean closed;

    RedisQueue(Home home, String name, int maxsize) {
        if (maxsize < 0) maxsize = 0; // Python: maxsize <= 0 is unbounded
        this.core = new QueueCore(home, Home.key("queue", name), maxsize);
        this.name = name;
    }

    boolean countsTasks() { return false; }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("Queue " + name + " is closed");
    }

    private byte[] encode(Object item) {
        try {
            return codec.encode(item);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot put " + (item == null ? "null" : item.getClass().getName())
                    + " on a queue: " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private E decode(byte[] b) {
        try {
            return (E) codec.decode(b);
        } catch (IOException e) {
            throw new UncheckedIOException("an item of the queue " + name + " could not be decoded", e);
        }
    }

    /** Puts within {@code nanos}; false when there was no room in time. */
    private boolean put0(Object item, long nanos) throws InterruptedException {
        checkOpen();
        byte[] b = encode(item);
        return Waits.until(core.itemsSignal(), nanos, () -> core.put(b, countsTasks()) ? Boolean.TRUE : null, d -> core.waiting(true, d)) != null;
    }

    /** The item wrapped in a one-element array (items may be null), or null when none came in time. */
    private Object[] get0(long nanos) throws InterruptedException {
        checkOpen();
        return Waits.until(core.itemsSignal(), nanos, () -> {
            byte[] b = core.get();
            return b == null ? null : new Object[] {decode(b)};
        }, d -> core.waiting(false, d));
    }

    private boolean putNow(Object item) {
        checkOpen();
        return core.put(encode(item), countsTasks());
    }

    @SuppressWarnings("unchecked")
    private E getNow() {
        checkOpen();
        byte[] b = core.get();
        if (b == null) throw new Empty();
        return decode(b);
    }

    // ------------------------------------------------------------------ Python's methods

    @Override
    public void put(E item, boolean block, Duration timeout) throws InterruptedException {
        if (!block) {
            putNowait(item);
            return;
        }
        if (!put0(item, Waits.nanos(timeout))) throw new Full();
    }

    @Override
    @SuppressWarnings("unchecked")
    public E get(boolean block, Duration timeout) throws InterruptedException {
        if (!block) return getNowait();
        Object[] r = get0(Waits.nanos(timeout));
        if (r == null) throw new Empty();
        return (E) r[0];
    }

    @Override
    @SuppressWarnings("unchecked")
    public E get() throws InterruptedException {
        return (E) get0(Long.MAX_VALUE)[0];
    }

    @Override
    public void putNowait(E item) {
        if (!putNow(item)) throw new Full();
    }

    @Override
    public E getNowait() {
        return getNow();
    }

    @Override
    public int qsize() {
        return (int) Server.asLong(core.stats().get(0));
    }

    @Override
    public boolean empty() {
        checkOpen();
        return qsize() == 0;
    }

    @Override
    public boolean full() {
        List<?> s = core.stats();
        long m = Server.asLong(s.get(1));
        return m > 0 && Server.asLong(s.get(0)) >= m;
    }

    @Override
    public int maxsize() {
        return (int) Server.asLong(core.stats().get(1));
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    // ------------------------------------------------------------------ BlockingQueue

    @Override
    public void put(E e) throws InterruptedException {
        Objects.requireNonNull(e);
        put0(e, Long.MAX_VALUE);
    }

    @Override
    public boolean offer(E e) {
        Objects.requireNonNull(e);
        return putNow(e);
    }

    @Override
    public boolean offer(E e, long timeout, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(e);
        return put0(e, Waits.nanos(timeout, unit));
    }

    @Override
    public boolean add(E e) {
        if (!offer(e)) throw new Full();
        return true;
    }

    @Override
    public E take() throws InterruptedException {
        return get();
    }

    @Override
    @SuppressWarnings("unchecked")
    public E poll() {
        checkOpen();
        byte[] b = core.get();
        return b == null ? null : decode(b);
    }

    @Override
    @SuppressWarnings("unchecked")
    public E poll(long timeout, TimeUnit unit) throws InterruptedException {
        Object[] r = get0(Waits.nanos(timeout, unit));
        return r == null ? null : (E) r[0];
    }

    @Override
    public E remove() {
        return getNow();
    }

    @Override
    @SuppressWarnings("unchecked")
    public E peek() {
        byte[] first = (byte[]) core.stats().get(3);
        return first.length == 0 ? null : decode(first);
    }

    @Override
    public int remainingCapacity() {
        List<?> s = core.stats();
        long m = Server.asLong(s.get(1));
        return m == 0 ? Integer.MAX_VALUE : (int) Math.max(0, m - Server.asLong(s.get(0)));
    }

    @Override
    public int drainTo(Collection<? super E> c) {
        return drainTo(c, Integer.MAX_VALUE);
    }

    @Override
    public int drainTo(Collection<? super E> c, int maxElements) {
        if (c == this) throw new IllegalArgumentException("drain to itself");
        int n = 0;
        for (E e; n < maxElements && (e = poll()) != null; n++) c.add(e);
        return n;
    }

    @Override
    public int size() {
        return qsize();
    }

    @Override
    public boolean isEmpty() {
        return size() == 0;
    }

    /** Not supported: a queue shared between processes has no stable view to iterate. */
    @Override
    public Iterator<E> iterator() {
        throw new UnsupportedOperationException("a distributed queue cannot be iterated");
    }

    @Override
    public String toString() {
        return "DistributedQueue[" + name + "]";
    }

    @Serial
    Object writeReplace() {
        return new Ref(core.home.address(), "queue", name, new long[] {core.maxsize});
    }
}
