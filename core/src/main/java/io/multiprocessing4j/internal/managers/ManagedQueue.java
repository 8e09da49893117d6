package io.multiprocessing4j.internal.managers;

import io.multiprocessing4j.queues.Empty;
import io.multiprocessing4j.queues.Full;
import io.multiprocessing4j.queues.Queue;

import java.time.Duration;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A manager's {@link Queue} (and the base of its joinable one): a {@link ServerQueue}; puts
 * and gets wait in {@link Slice}s. Items come back as the codec decoded them, not frozen:
 * a queue hands items over, it does not show copies of what it keeps. {@link #close()}
 * closes this proxy's view, as {@link Queue#close()} says; its reference on the server goes
 * when the proxy is collected.
 */
@SuppressWarnings("unchecked")
public class ManagedQueue<E> extends ManagedObject implements Queue<E> {
    private transient volatile boolean viewClosed;

    ManagedQueue(Token token, Session session) { super(token, session); }

    private void checkView() {
        if (viewClosed) throw new IllegalStateException("Queue " + address() + "#" + token.id + " is closed");
    }

    /** Whether {@code item} went in within {@code nanos} (negative: for ever). */
    private boolean put0(Object item, long nanos, boolean interruptible) throws InterruptedException {
        checkView();
        long deadline = Slice.deadline(nanos);
        boolean interrupted = false;
        try {
            for (;;) {
                if (Thread.interrupted()) {
                    if (interruptible) throw new InterruptedException();
                    interrupted = true;
                }
                if ((Boolean) through("put", item, Slice.next(deadline))) return true;
                if (Slice.over(deadline)) return false;
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /** The item, in a one-element list, or an empty list when none came within {@code nanos}. */
    private List<E> get0(long nanos, boolean interruptible) throws InterruptedException {
        checkView();
        long deadline = Slice.deadline(nanos);
        boolean interrupted = false;
        try {
            for (;;) {
                if (Thread.interrupted()) {
                    if (interruptible) throw new InterruptedException();
                    interrupted = true;
                }
                List<E> got = (List<E>) through("get", Slice.next(deadline));
                if (!got.isEmpty() || Slice.over(deadline)) return got;
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    private static <T> T now(Interruptible<T> call) {
        try {
            return call.run();
        } catch (InterruptedException e) {
            throw new AssertionError("an uninterruptible wait was interrupted", e);
        }
    }

    private interface Interruptible<T> {
        T run() throws InterruptedException;
    }

    // ------------------------------------------------------------------ Python's methods

    @Override
    public void put(E item, boolean block, Duration timeout) throws InterruptedException {
        if (!put0(item, block ? Slice.nanos(timeout) : 0, true)) throw new Full();
    }

    @Override
    public E get(boolean block, Duration timeout) throws InterruptedException {
        List<E> got = get0(block ? Slice.nanos(timeout) : 0, true);
        if (got.isEmpty()) throw new Empty();
        return got.get(0);
    }

    @Override public E get() throws InterruptedException { return get(true, null); }

    @Override
    public void putNowait(E item) {
        if (!now(() -> put0(item, 0, false))) throw new Full();
    }

    @Override
    public E getNowait() {
        List<E> got = now(() -> get0(0, false));
        if (got.isEmpty()) throw new Empty();
        return got.get(0);
    }

    @Override public int qsize() { return (Integer) invoke("size"); }

    @Override
    public boolean empty() {
        checkView();
        return qsize() == 0;
    }

    @Override public boolean full() { return (Boolean) invoke("full"); }

    @Override public int maxsize() { return (Integer) invoke("maxsize"); }

    @Override public void close() { viewClosed = true; }

    @Override public boolean isClosed() { return viewClosed; }

    // ------------------------------------------------------------------ BlockingQueue

    @Override
    public boolean add(E e) {
        if (!offer(e)) throw new IllegalStateException("Queue full");
        return true;
    }

    @Override
    public boolean offer(E e) {
        Objects.requireNonNull(e);
        return now(() -> put0(e, 0, false));
    }

    @Override
    public void put(E e) throws InterruptedException {
        Objects.requireNonNull(e);
        put0(e, -1, true);
    }

    @Override
    public boolean offer(E e, long timeout, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(e);
        return put0(e, Slice.nanos(timeout, unit), true);
    }

    @Override public E take() throws InterruptedException { return get0(-1, true).get(0); }

    @Override
    public E poll(long timeout, TimeUnit unit) throws InterruptedException {
        List<E> got = get0(Slice.nanos(timeout, unit), true);
        return got.isEmpty() ? null : got.get(0);
    }

    @Override
    public E poll() {
        List<E> got = now(() -> get0(0, false));
        return got.isEmpty() ? null : got.get(0);
    }

    @Override
    public E remove() {
        List<E> got = now(() -> get0(0, false));
        if (got.isEmpty()) throw new NoSuchElementException("queue empty");
        return got.get(0);
    }

    @Override
    public E element() {
        List<E> items = snapshot();
        if (items.isEmpty()) throw new NoSuchElementException("queue empty");
        return items.get(0);
    }

    @Override public E peek() { return (E) raw("peek"); }

    @Override
    public int remainingCapacity() {
        int max = maxsize();
        return max == 0 ? Integer.MAX_VALUE : Math.max(0, max - qsize());
    }

    @Override public boolean remove(Object o) { return (Boolean) invoke("remove", o); }

    @Override public boolean contains(Object o) { return (Boolean) invoke("contains", o); }

    @Override public int drainTo(Collection<? super E> c) { return drainTo(c, Integer.MAX_VALUE); }

    @Override
    public int drainTo(Collection<? super E> c, int maxElements) {
        Objects.requireNonNull(c);
        if (c == this) throw new IllegalArgumentException("cannot drain a queue into itself");
        checkView();
        if (maxElements <= 0) return 0;
        List<E> items = (List<E>) raw("drain", maxElements);
        c.addAll(items);
        return items.size();
    }

    @Override public int size() { return qsize(); }

    @Override public boolean isEmpty() { return qsize() == 0; }

    /** The items now, oldest first, in one call. */
    private List<E> snapshot() { return (List<E>) raw("snapshot"); }

    /** Not supported: a queue shared between processes has no stable view to iterate. */
    @Override
    public Iterator<E> iterator() { throw new UnsupportedOperationException("a queue shared between processes cannot be iterated"); }

    @Override public Object[] toArray() { return snapshot().toArray(); }

    @Override public <T> T[] toArray(T[] a) { return snapshot().toArray(a); }

    @Override public boolean containsAll(Collection<?> c) { return snapshot().containsAll(c); }

    @Override
    public boolean addAll(Collection<? extends E> c) {
        if (c == this) throw new IllegalArgumentException("cannot add a queue to itself");
        boolean changed = false;
        for (E e : c) changed |= add(e);
        return changed;
    }

    @Override
    public boolean removeAll(Collection<?> c) {
        boolean changed = false;
        for (Object o : c) while (remove(o)) changed = true;
        return changed;
    }

    /** Not supported: it would need the whole queue on this side. */
    @Override
    public boolean retainAll(Collection<?> c) { throw new UnsupportedOperationException("retainAll on a managed queue"); }

    @Override public void clear() { invoke("clear"); }
}
