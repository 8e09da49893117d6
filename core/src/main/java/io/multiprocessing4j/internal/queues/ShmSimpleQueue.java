package io.multiprocessing4j.internal.queues;

import io.multiprocessing4j.queues.SimpleQueue;
import io.multiprocessing4j.serial.Codec;
import io.multiprocessing4j.internal.shm.Heap;

import java.io.Serial;
import java.io.Serializable;

/** The shared-memory {@link SimpleQueue}: an unbounded {@link ShmQueue} behind the four methods. */
public final class ShmSimpleQueue<E> implements SimpleQueue<E>, Serializable {
    @Serial private static final long serialVersionUID = 1L;

    private final ShmQueue<E> queue;

    private ShmSimpleQueue(ShmQueue<E> queue) {
        this.queue = queue;
    }

    /** A new simple queue carved from {@code heap}, whose items {@code codec} encodes. */
    public static <E> ShmSimpleQueue<E> create(Heap heap, Codec codec) { return of(ShmQueue.create(heap, 0, codec)); }

    /** A simple queue over the unbounded {@code queue}. */
    public static <E> ShmSimpleQueue<E> of(ShmQueue<E> queue) {
        if (queue.maxsize() != 0) throw new IllegalArgumentException("a simple queue is unbounded");
        return new ShmSimpleQueue<>(queue);
    }

    @Override
    public void put(E item) throws InterruptedException { queue.put(item, true, null); }

    @Override
    public E get() throws InterruptedException { return queue.get(); }

    @Override
    public boolean empty() { return queue.empty(); }

    @Override
    public void close() { queue.close(); }

    @Override
    public String toString() { return "SimpleQueue(" + queue.log + ")"; }
}
