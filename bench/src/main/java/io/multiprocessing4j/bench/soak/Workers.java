package io.multiprocessing4j.bench.soak;

import io.multiprocessing4j.connection.Connection;
import io.multiprocessing4j.queues.Empty;
import io.multiprocessing4j.queues.Full;
import io.multiprocessing4j.queues.JoinableQueue;
import io.multiprocessing4j.queues.Queue;
import io.multiprocessing4j.sync.Barrier;
import io.multiprocessing4j.sync.Condition;
import io.multiprocessing4j.sync.Lock;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * What the soak's child processes run: static methods, so that each goes to its child by
 * name. Every blocking call has the generous timeout {@link #WAIT}; running out of it is
 * counted as a hang on the board, by role. The first three arguments are always the
 * board's name, its ids per producer and the role's slot.
 */
final class Workers {
    private Workers() {}

    /** A wait this long for something that takes milliseconds is a hang. */
    static final Duration WAIT = Duration.ofSeconds(30);
    /** The id a pipe consumer stops at (queues use null, Python's None). */
    static final long SENTINEL = -1;
    /** Pipe messages: most are small; one in {@code BIG_ONE_IN} is larger than the ring and streams through it. */
    static final int BIG_ONE_IN = 16, BIG = 24 * 1024;

    private interface Body {
        void run(Board b, int slot, Object[] a) throws Exception;
    }

    private static void run(Role role, Object[] a, Body body) throws Exception {
        try (Board b = Board.attach((String) a[0], (Long) a[1])) {
            b.add(Board.STARTED, 1);
            try {
                body.run(b, (Integer) a[2], a);
            } catch (Throwable t) {
                b.add(Board.CHILD_ERRORS, 1);
                System.err.println("soak: " + role + " " + ProcessHandle.current().pid() + " failed:");
                throw t;
            }
        }
    }

    private static void hang(Board b, Role role, String what) {
        b.add(Board.HANGS + role.ordinal(), 1);
        System.err.println("soak: HANG " + role + " " + ProcessHandle.current().pid() + ": " + what + " waited " + WAIT);
    }

    // ---------------------------------------------------------------- queues

    /** Args: board, perProducer, slot, channel, queue, items per second. */
    @SuppressWarnings("unchecked")
    static void queueProducer(Object... args) throws Exception {
        int ch = (Integer) args[3];
        Role role = ch == Board.QUEUE ? Role.QUEUE_PRODUCER : Role.JOINABLE_PRODUCER;
        run(role, args, (b, p, a) -> {
            Queue<Long> q = (Queue<Long>) a[4];
            Pacer pacer = new Pacer((Integer) a[5]);
            for (long k = b.progress(ch, p); k < b.perProducer && !b.stopping(); ) {
                try {
                    q.put(b.id(p, k), true, WAIT);
                } catch (Full e) {
                    hang(b, role, "put");
                    continue; // the same id again: nothing was put
                }
                b.setProgress(ch, p, ++k);
                pacer.tick();
            }
            idleUntilStop(b);
        });
    }

    /** Args: board, perProducer, slot, channel, queue. Stops at a null item. */
    @SuppressWarnings("unchecked")
    static void queueConsumer(Object... args) throws Exception {
        int ch = (Integer) args[3];
        Role role = ch == Board.QUEUE ? Role.QUEUE_CONSUMER : Role.JOINABLE_CONSUMER;
        run(role, args, (b, c, a) -> {
            Queue<Long> q = (Queue<Long>) a[4];
            JoinableQueue<Long> jq = q instanceof JoinableQueue<Long> j ? j : null;
            while (true) {
                Long v;
                try {
                    v = q.get(true, WAIT);
                } catch (Empty e) {
                    hang(b, role, "get");
                    continue;
                }
                if (v == null) {
                    if (jq != null) jq.taskDone();
                    return;
                }
                b.setHand(ch, c, v);
                if (b.ack(ch, v) > 0) b.add(Board.channelSlot(ch, Board.DUPLICATES_SEEN), 1);
                if (jq != null) jq.taskDone();
                b.setHand(ch, c, -1);
            }
        });
    }

    // ---------------------------------------------------------------- pipe

    /** Args: board, perProducer, slot, channel, writing end, items per second. */
    static void pipeProducer(Object... args) throws Exception {
        int ch = (Integer) args[3];
        run(Role.PIPE_PRODUCER, args, (b, p, a) -> {
            Connection w = (Connection) a[4];
            Pacer pacer = new Pacer((Integer) a[5]);
            SplittableRandom rnd = new SplittableRandom();
            for (long k = b.progress(ch, p); k < b.perProducer && !b.stopping(); ) {
                long id = b.id(p, k);
                w.sendBytes(message(id, rnd.nextInt(BIG_ONE_IN) == 0 ? BIG + rnd.nextInt(BIG) : 8 + rnd.nextInt(200)));
                b.setProgress(ch, p, ++k);
                pacer.tick();
            }
            idleUntilStop(b);
        });
    }

    /** An 8-byte id, then bytes that depend on the id and their place, so a spliced message shows. */
    static byte[] message(long id, int size) {
        byte[] m = new byte[size];
        ByteBuffer.wrap(m).putLong(id);
        for (int i = 8; i < size; i++) m[i] = (byte) (id * 31 + i);
        return m;
    }

    /** Args: board, perProducer, slot, channel, reading end. Stops at the sentinel id. */
    static void pipeConsumer(Object... args) throws Exception {
        int ch = (Integer) args[3];
        run(Role.PIPE_CONSUMER, args, (b, c, a) -> {
            Connection r = (Connection) a[4];
            while (true) {
                byte[] m;
                try {
                    if (!r.poll(WAIT)) {
                        hang(b, Role.PIPE_CONSUMER, "poll");
                        continue;
                    }
                    m = r.recvBytes();
                } catch (EOFException e) {
                    throw e; // the soak keeps a writer open: end of file is a failure
                } catch (IOException e) {
                    if (!String.valueOf(e.getMessage()).contains("lost")) throw e;
                    b.add(Board.channelSlot(ch, Board.REPORTED_LOST), 1); // a writer died in the middle of a message
                    continue;
                }
                long id = m.length >= 8 ? ByteBuffer.wrap(m).getLong() : Long.MIN_VALUE;
                if (id == SENTINEL) return;
                b.setHand(ch, c, id);
                boolean intact = m.length >= 8;
                for (int i = 8; i < m.length && intact; i++) intact = m[i] == (byte) (id * 31 + i);
                if (!intact) {
                    b.add(Board.channelSlot(ch, Board.UNEXPECTED), 1);
                    System.err.println("soak: pipe message of id " + id + " (" + m.length + " bytes) is garbled");
                } else if (b.ack(ch, id) > 0) {
                    b.add(Board.channelSlot(ch, Board.DUPLICATES_SEEN), 1);
                }
                b.setHand(ch, c, -1);
            }
        });
    }

    // ---------------------------------------------------------------- contention

    /**
     * Args: board, perProducer, slot, lock. Each critical section reads the shared counter,
     * dawdles and writes it plus one, and marks itself the holder: a second holder shows as a
     * violation, a lost update as the counter falling behind the sections counted.
     */
    static void locker(Object... args) throws Exception {
        run(Role.LOCKER, args, (b, slot, a) -> {
            Lock lock = (Lock) a[3];
            long me = ProcessHandle.current().pid();
            SplittableRandom rnd = new SplittableRandom();
            while (!b.stopping()) {
                if (!lock.acquire(true, WAIT)) {
                    hang(b, Role.LOCKER, "acquire");
                    continue;
                }
                try {
                    if (lock.ownerDied()) b.add(Board.LOCK_TAKEOVERS, 1);
                    else if (b.get(Board.LOCK_HOLDER) != 0) b.add(Board.LOCK_VIOLATIONS, 1);
                    b.set(Board.LOCK_HOLDER, me);
                    long c = b.get(Board.LOCK_COUNTER);
                    LockSupport.parkNanos(rnd.nextInt(200_000));
                    b.set(Board.LOCK_COUNTER, c + 1);
                    if (b.get(Board.LOCK_HOLDER) != me) b.add(Board.LOCK_VIOLATIONS, 1);
                    b.add(Board.LOCK_SECTIONS, 1);
                    b.set(Board.LOCK_HOLDER, 0);
                } finally {
                    lock.release();
                }
                LockSupport.parkNanos(rnd.nextInt(1_000_000));
            }
        });
    }

    /** Args: board, perProducer, party (0 or 1), condition. The parties take turns: wait for mine, take it, signal. */
    static void turnTaker(Object... args) throws Exception {
        run(Role.TURN_TAKER, args, (b, party, a) -> {
            Condition cond = (Condition) a[3];
            Lock lock = cond.lock();
            while (true) {
                if (!lock.acquire(true, WAIT)) {
                    hang(b, Role.TURN_TAKER, "acquire");
                    continue;
                }
                try {
                    if (lock.ownerDied()) b.add(Board.COND_TAKEOVERS, 1);
                    long t0 = System.nanoTime();
                    boolean mine = cond.waitFor(() -> b.stopping() || b.get(Board.COND_TURN) % 2 == party, WAIT);
                    // waitFor answers the predicate at its timeout: a turn that came while the
                    // waiter slept through the whole timeout (a lost wake-up) is a hang too
                    if (!mine || System.nanoTime() - t0 >= WAIT.toNanos()) {
                        hang(b, Role.TURN_TAKER, "waitFor(my turn) " + (mine ? "slept through its turn" : "timed out")
                                + ", turn " + b.get(Board.COND_TURN));
                        if (!mine) continue;
                    }
                    if (b.stopping()) {
                        cond.signalAll();
                        return;
                    }
                    b.add(Board.COND_TURN, 1);
                    b.add(Board.COND_ROUNDS, 1);
                    cond.signal();
                } finally {
                    lock.release();
                }
            }
        });
    }

    /**
     * Args: board, perProducer, slot, barrier. A barrier cannot know that a party was
     * killed: the run aborts it after a kill and resets it once the replacement has started.
     * A break by timeout is a hang; a break by abort is counted and waited out.
     */
    static void barrierParty(Object... args) throws Exception {
        run(Role.BARRIER_PARTY, args, (b, slot, a) -> {
            Barrier bar = (Barrier) a[3];
            while (!b.stopping()) {
                try {
                    bar.await(WAIT);
                    b.add(Board.BARRIER_ROUNDS, 1);
                } catch (BrokenBarrierException e) {
                    if (b.stopping()) return;
                    if (e.getCause() instanceof TimeoutException) hang(b, Role.BARRIER_PARTY, "await");
                    else b.add(Board.BARRIER_BROKEN, 1);
                    long until = System.nanoTime() + WAIT.toNanos();
                    while (bar.isBroken() && !b.stopping()) {
                        if (System.nanoTime() > until) {
                            hang(b, Role.BARRIER_PARTY, "the reset of a broken barrier");
                            break;
                        }
                        Thread.sleep(5);
                    }
                }
            }
        });
    }

    // ---------------------------------------------------------------- pool

    /** A pool task: a little work, a result the parent can check. */
    static long poolTask(long x) {
        LockSupport.parkNanos(1_000_000 + (x % 7) * 1_000_000);
        return x * x + 1;
    }

    // ---------------------------------------------------------------- helpers

    private static void idleUntilStop(Board b) throws InterruptedException {
        while (!b.stopping()) Thread.sleep(20);
    }

    /** Keeps a producer at about {@code rate} items per second, without bursts after a stall. */
    private static final class Pacer {
        private final long nanosPerItem;
        private long due = System.nanoTime();

        Pacer(int rate) { nanosPerItem = 1_000_000_000L / Math.max(1, rate); }

        void tick() throws InterruptedException {
            due += nanosPerItem;
            long now = System.nanoTime(), ahead = due - now;
            if (ahead > 1_000_000) Thread.sleep(ahead / 1_000_000);
            else if (ahead < -1_000_000_000L) due = now;
        }
    }
}
