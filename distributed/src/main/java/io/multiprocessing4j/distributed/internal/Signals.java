package io.multiprocessing4j.distributed.internal;

import org.redisson.api.RTopic;
import org.redisson.api.listener.MessageListener;
import org.redisson.client.codec.StringCodec;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Wake-ups from the server: a script that may let a waiter through (a release, a put, a
 * set) publishes on its object's channel, and every context subscribed to that channel
 * wakes its local waiters. A waiter subscribes before its first attempt, so a publish
 * after a failed attempt always wakes it; a message lost in a reconnection costs at most
 * one {@link #POLL} of delay, since every wait is cut into slices that try again.
 */
final class Signals {
    /** The longest a waiter sleeps between attempts: it bounds the delay of a lost message and of a lease that ran out. */
    static final long POLL = TimeUnit.MILLISECONDS.toNanos(200);

    private final Server server;
    private final ConcurrentHashMap<String, Signal> signals = new ConcurrentHashMap<>();

    Signals(Server server) {
        this.server = server;
    }

    /** The channel's signal, subscribing on first use (a call to the server). */
    Signal of(String channel) {
        Signal s = signals.get(channel);
        if (s != null && s.subscribed) return s;
        s = signals.computeIfAbsent(channel, c -> new Signal());
        synchronized (s) {
            if (!s.subscribed) {
                RTopic topic = server.client().getTopic(channel, StringCodec.INSTANCE);
                Signal target = s;
                MessageListener<Object> l = (ch, msg) -> target.bump();
                server.await(topic.addListenerAsync(Object.class, l).toCompletableFuture());
                s.subscribed = true;
            }
        }
        return s;
    }

    /** A generation count per channel that waiters sleep on until it moves. */
    static final class Signal {
        private long generation;
        private volatile boolean subscribed;

        synchronized long generation() {
            return generation;
        }

        synchronized void bump() {
            generation++;
            notifyAll();
        }

        /** Sleeps until the generation differs from {@code seen}, at most {@code nanos}. */
        synchronized void await(long seen, long nanos) throws InterruptedException {
            long deadline = System.nanoTime() + nanos;
            while (generation == seen) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return;
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
    }
}
