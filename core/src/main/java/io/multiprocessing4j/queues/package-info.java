/**
 * Queues between processes, Python's {@code multiprocessing.queues}:
 * {@link io.multiprocessing4j.queues.Queue} (a {@link java.util.concurrent.BlockingQueue}),
 * {@link io.multiprocessing4j.queues.JoinableQueue}, {@link io.multiprocessing4j.queues.SimpleQueue},
 * and Python's {@code queue.Full} / {@code queue.Empty} as {@link io.multiprocessing4j.queues.Full}
 * and {@link io.multiprocessing4j.queues.Empty}. These are the contracts; a context makes them
 * in shared memory ({@code ctx.queue()}, ...). {@code Queue} shares its simple name with
 * {@link java.util.Queue}, which it extends (through {@code BlockingQueue}), so importing
 * ours is enough.
 */
package io.multiprocessing4j.queues;
