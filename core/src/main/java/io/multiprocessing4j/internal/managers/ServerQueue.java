package io.multiprocessing4j.internal.managers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedList;
import java.util.List;

/**
 * The server side of a managed {@code Queue} or {@code JoinableQueue}: a list (null items
 * allowed, as Python's {@code None}) under this object's monitor, bounded by
 * {@code maxsize} unless it is 0. Waits are bounded by the client's slice. An item taken by
 * a client that dies before the reply reaches it is lost, as in Python.
 */
final class ServerQueue {
    final int maxsize;
    final boolean joinable;
    private final LinkedList<Object> items = new LinkedList<>();
    private int unfinished;

    ServerQueue(int maxsize, boolean joinable) {
        this.maxsize = Math.max(0, maxsize);
        this.joinable = joinable;
    }

    private boolean isFull() { return maxsize > 0 && items.size() >= maxsize; }

    /** Puts {@code item} when there is room within {@code nanos}; whether it did. */
    synchronized boolean put(Object item, long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        while (isFull()) {
            if (!Owner.waitUntil(this, deadline)) return false;
        }
        items.addLast(item);
        if (joinable) unfinished++;
        notifyAll();
        return true;
    }

    /** The oldest item, in a one-element list, when one comes within {@code nanos}; else an empty list. */
    synchronized List<Object> get(long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        while (items.isEmpty()) {
            if (!Owner.waitUntil(this, deadline)) return List.of();
        }
        Object item = items.removeFirst();
        notifyAll();
        return Collections.singletonList(item);
    }

    /** Takes up to {@code max} items now. */
    synchronized List<Object> drain(int max) {
        List<Object> out = new ArrayList<>();
        while (!items.isEmpty() && out.size() < max) out.add(items.removeFirst());
        if (!out.isEmpty()) notifyAll();
        return out;
    }

    synchronized boolean remove(Object o) {
        boolean removed = items.remove(o);
        if (removed) notifyAll();
        return removed;
    }

    synchronized void clear() {
        items.clear();
        notifyAll();
    }

    synchronized boolean contains(Object o) { return items.contains(o); }

    synchronized Object peek() { return items.peekFirst(); }

    synchronized int size() { return items.size(); }

    synchronized boolean full() { return isFull(); }

    synchronized List<Object> snapshot() { return new ArrayList<>(items); }

    /** Python's {@code task_done()}. @throws IllegalStateException when called more often than items were put */
    synchronized void taskDone() {
        if (unfinished == 0) throw new IllegalStateException("task_done() called too many times");
        if (--unfinished == 0) notifyAll();
    }

    /** Waits at most {@code nanos} for every item put to be done; whether they are. */
    synchronized boolean join(long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        while (unfinished > 0) {
            if (!Owner.waitUntil(this, deadline)) return false;
        }
        return true;
    }

    synchronized int unfinished() { return unfinished; }

    @Override
    public synchronized String toString() { return (joinable ? "JoinableQueue" : "Queue") + "(" + items.size() + " items)"; }
}
