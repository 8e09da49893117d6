package io.multiprocessing4j.bench.soak;

import io.multiprocessing4j.shm.Segment;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * The soak's own bookkeeping, in one shared segment that every process of the run maps: a
 * stop flag, counters of the contention roles, and for each item channel the producers'
 * progress, what each consumer holds in its hand, and one acknowledgement counter per item.
 *
 * <p>The board is written with plain atomics on a segment, not through the objects under
 * test, so that a bug in a queue or a lock cannot hide its own losses. A consumer marks an
 * item in its hand before it acknowledges it and clears the hand after: the killer reads the
 * hand of a process it killed, so an item in flight in a killed process is told apart from
 * an item the library lost.
 *
 * <p>Item ids are dense: producer slot {@code p} of a channel puts ids {@code p + PRODUCERS * k}
 * for {@code k = progress[p], progress[p] + 1, ...}; a replacement continues where its
 * predecessor stopped, after the id that predecessor was putting when it was killed.
 */
final class Board implements AutoCloseable {
    static final int CHANNELS = 3, QUEUE = 0, JOINABLE = 1, PIPE = 2;
    static final String[] CHANNEL_NAMES = {"queue", "joinable_queue", "pipe"};
    static final int PRODUCERS = 2, CONSUMERS = 2;

    // long slots
    static final int STOP = 0;
    static final int LOCK_COUNTER = 1, LOCK_HOLDER = 2, LOCK_VIOLATIONS = 3, LOCK_TAKEOVERS = 4, LOCK_SECTIONS = 5;
    static final int COND_TURN = 6, COND_ROUNDS = 7, COND_TAKEOVERS = 8;
    static final int BARRIER_ROUNDS = 9, BARRIER_BROKEN = 10, BARRIER_TAKEOVERS = 11;
    static final int CHILD_ERRORS = 12, STARTED = 13;
    /** Waits that ran out of their (generous) timeout, by role: {@link Role#ordinal()}. */
    static final int HANGS = 16;
    private static final int CHANNEL_BASE = 48, CHANNEL_LONGS = 16;
    // per channel
    static final int PROGRESS = 0, HAND = PRODUCERS, REPORTED_LOST = PRODUCERS + CONSUMERS,
            DUPLICATES_SEEN = REPORTED_LOST + 1, UNEXPECTED = DUPLICATES_SEEN + 1;
    private static final long ACKS = (CHANNEL_BASE + CHANNELS * CHANNEL_LONGS) * 8L;

    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private final Segment segment;
    private final MemorySegment m;
    /** Ids per producer slot: the acknowledgement table holds {@code PRODUCERS * perProducer} counters per channel. */
    final long perProducer;

    private Board(Segment segment, long perProducer) {
        this.segment = segment;
        this.m = segment.memory();
        this.perProducer = perProducer;
    }

    static Board create(long perProducer) throws IOException {
        Board b = new Board(Segment.create(ACKS + CHANNELS * PRODUCERS * perProducer * 4L), perProducer);
        for (int ch = 0; ch < CHANNELS; ch++) {
            for (int c = 0; c < CONSUMERS; c++) b.setHand(ch, c, -1);
        }
        return b;
    }

    static Board attach(String name, long perProducer) throws IOException {
        return new Board(Segment.attach(name), perProducer);
    }

    String name() { return segment.name(); }

    long get(int slot) { return (long) LONG.getVolatile(m, slot * 8L); }

    void set(int slot, long v) { LONG.setVolatile(m, slot * 8L, v); }

    long add(int slot, long d) { return (long) LONG.getAndAdd(m, slot * 8L, d) + d; }

    boolean stopping() { return get(STOP) != 0; }

    static int channelSlot(int ch, int field) { return CHANNEL_BASE + ch * CHANNEL_LONGS + field; }

    long progress(int ch, int p) { return get(channelSlot(ch, PROGRESS + p)); }

    void setProgress(int ch, int p, long k) { set(channelSlot(ch, PROGRESS + p), k); }

    long hand(int ch, int c) { return get(channelSlot(ch, HAND + c)); }

    void setHand(int ch, int c, long id) { set(channelSlot(ch, HAND + c), id); }

    long id(int p, long k) { return p + (long) PRODUCERS * k; }

    long idCapacity() { return PRODUCERS * perProducer; }

    /** Counts one delivery of {@code id}; returns how many there had been before. */
    int ack(int ch, long id) {
        if (id < 0 || id >= idCapacity()) {
            add(channelSlot(ch, UNEXPECTED), 1);
            return 0;
        }
        return (int) INT.getAndAdd(m, ackOffset(ch, id), 1);
    }

    /** Items delivered so far on channel {@code ch}: the sum of the producers' progress is an upper bound, this counts. */
    long delivered(int ch) {
        long n = 0;
        for (long id = 0; id < idCapacity(); id++) if (acks(ch, id) != 0) n++;
        return n;
    }

    int acks(int ch, long id) { return (int) INT.getVolatile(m, ackOffset(ch, id)); }

    private long ackOffset(int ch, long id) { return ACKS + (ch * idCapacity() + id) * 4L; }

    @Override
    public void close() { segment.close(); }
}
