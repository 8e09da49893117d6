package io.multiprocessing4j.internal.connection;

import io.multiprocessing4j.internal.os.Native;
import io.multiprocessing4j.internal.shm.Heap;
import io.multiprocessing4j.internal.shm.Shared;
import io.multiprocessing4j.internal.sync.Futex;
import io.multiprocessing4j.internal.sync.FutexWait;
import io.multiprocessing4j.internal.sync.FutexWord;
import io.multiprocessing4j.internal.sync.ShmLock;
import io.multiprocessing4j.shm.Handle;

import static io.multiprocessing4j.internal.connection.RingLayout.*;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * A one-way stream of messages in shared memory, from the processes that hold its writing
 * end to those that hold its reading end: the wire of a {@link ShmPipe}.
 * The layout is drawn in {@link RingLayout}.
 * A message is an {@code int} length (little-endian) and that many bytes, wrapping around
 * the end of the data area as needed. A message longer than the ring streams through it:
 * the writer publishes what fits and waits for the reader to make room. Readers sleep on
 * the tail bell, which every publish and every close of a writing end rings (adds one to);
 * writers on the head bell, rung by every release of room and every close of a reading end.
 * A close changes no position, so sleeping on a position would let a close slip between a
 * reader's last look at the holders and its sleep, and the reader would see it only at
 * its next liveness check.
 *
 * <p>A writer that finds the ring full asks to be woken only once a quarter of it is free
 * ({@code room wanted}), not at each message read: otherwise a reader that trails a faster
 * writer pays a wake-up system call per message. It still takes the room it needs when it
 * wakes by itself, every {@link #ROOM_RECHECK_NANOS}, so a reader that stops reading early
 * delays it, never blocks it. The reader that frees enough takes the request back (sets it
 * out of reach) as it wakes the writer, so that the reads made while the writer is on its
 * way back to a CPU do not each wake it again. Readers are likewise woken once per tail
 * bell value slept on ({@link Futex#sleepOnBell}).
 *
 * <p>Which processes hold each end is recorded, so that a reader can tell "nothing sent
 * yet" from "nobody left to send": when no live process holds the writing end and the
 * data is consumed, reading ends with {@link EOFException}. A holder that closes its end
 * leaves at once (and wakes the readers); a holder that is killed is noticed by the next
 * liveness check, which a waiting reader makes every {@link FutexWait#LIVENESS_CHECK_NANOS}. A
 * writer that dies in the middle of a message leaves it to the next writer to complete
 * ({@link #repairTornWrite}); a reader waiting for the rest of it does not wait for that
 * writer, which may be idle: at its liveness check it drops the message itself.
 *
 * <p>Each end has a {@link Lock} (in the same heap) that serializes its users, so that
 * messages of concurrent senders, or receivers, never interleave.
 */
final class Ring extends Shared {
    @Serial private static final long serialVersionUID = 1L;
    static final String KIND = "Ring";
    static final int WRITER = 0, READER = 1;
    static final long ROOM_RECHECK_NANOS = 1_000_000L;

    private static final long NO_ROOM_WANTED = Long.MAX_VALUE; // no head reaches it
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    final ShmLock writeLock, readLock;
    private transient MemorySegment data; // the data area and its index mask, set by bind()
    private transient long mask;
    // The bells, and the waits on them (set by bind()): for room (waking now and then by itself,
    // or not), for a message's length, for the rest of a message, for anything (a poll).
    private transient FutexWord tailBell, headBell;
    private transient FutexWait<IOException> room, roomRechecked, length, rest, any;
    // The writer's last view of head: it only grows, so free space reckoned from it is never
    // too much, and a write that fits by it need not read the shared word (under writeLock).
    private transient long headSeen;
    // The reader's last view of tail, likewise (under readLock): reading the writer's line
    // once per batch of waiting messages, not once per message, keeps it from bouncing.
    private transient long tailSeen;
    private transient long lastLivenessCheck; // 0: none yet; a heuristic, unsynchronized

    private Ring(Heap.Block block, int capacity, ShmLock writeLock, ShmLock readLock) {
        super(block, KIND);
        this.writeLock = writeLock;
        this.readLock = readLock;
        MemorySegment m = memory();
        m.set(ValueLayout.JAVA_INT, MAGIC_AT, MAGIC);
        m.set(ValueLayout.JAVA_INT, VERSION_AT, VERSION);
        LONG.setVolatile(m, BROKEN_AT, -1L);
        LONG.setVolatile(m, ROOM_WANTED, NO_ROOM_WANTED);
        LONG.setVolatile(m, CAPACITY, (long) capacity);
        bind();
    }

    /** A view of the ring {@code handle} names, with its locks: what {@link #readHandles} rebuilds. */
    private Ring(Handle handle, ShmLock writeLock, ShmLock readLock) {
        super(handle, KIND);
        this.writeLock = writeLock;
        this.readLock = readLock;
        bind();
    }

    /** Writes what {@link #readHandles} needs to map this ring in another process: its handle and its locks'. */
    void writeHandles(DataOutput out) throws IOException {
        writeHandle(out, handle());
        writeHandle(out, writeLock.handle());
        writeHandle(out, readLock.handle());
    }

    /** The ring {@link #writeHandles} wrote, mapped in this process. */
    static Ring readHandles(DataInput in) throws IOException {
        Handle ring = readHandle(in), w = readHandle(in), r = readHandle(in);
        try {
            return new Ring(ring, ShmLock.attach(w), ShmLock.attach(r));
        } catch (IllegalArgumentException | IllegalStateException | java.io.UncheckedIOException e) {
            throw new IOException("cannot map a received pipe end: " + e.getMessage(), e);
        }
    }

    /** A new ring of {@code capacity} bytes (a power of two, at least 64) carved from {@code heap}. */
    static Ring create(Heap heap, int capacity) {
        if (capacity < 64 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("ring capacity must be a power of two >= 64, not " + capacity);
        }
        return new Ring(heap.allocate(DATA + capacity), capacity, ShmLock.create(heap), ShmLock.create(heap));
    }

    private MemorySegment m() { return memory(); }

    /** Checks the header and sets the fields derived from it: in the creator, and in each process the ring is sent to. */
    private void bind() {
        long cap = (long) LONG.getVolatile(m(), CAPACITY);
        if (m().get(ValueLayout.JAVA_INT, MAGIC_AT) != MAGIC || cap <= 0 || DATA + cap > m().byteSize()) {
            throw new IllegalStateException(handle() + " is not a ring");
        }
        mask = cap - 1;
        data = m().asSlice(DATA, cap);
        tailBell = FutexWord.bell(m(), TAIL_BELL, READERS_ASLEEP, READERS_SLEPT_ON);
        headBell = FutexWord.plain(m(), HEAD_BELL, WRITERS_ASLEEP); // writers are woken by their room request
        room = new FutexWait<>(headBell, new Room(Long.MAX_VALUE));
        roomRechecked = new FutexWait<>(headBell, new Room(ROOM_RECHECK_NANOS));
        length = new FutexWait<>(tailBell, new Data(4, true, false));
        rest = new FutexWait<>(tailBell, new Data(1, false, false));
        any = new FutexWait<>(tailBell, new Data(1, false, true));
    }

    @Serial
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        bind();
    }

    private long capacity() { return data.byteSize(); }

    private long tail() { return (long) LONG.getAcquire(m(), TAIL); }

    private long head() { return (long) LONG.getAcquire(m(), HEAD); }

    // ------------------------------------------------------------------ holders (RingHolders)

    /** Records this process as a holder of {@code end}; returns the slot to give back on close. */
    int register(int end) throws IOException { return RingHolders.register(m(), end); }

    /** Records process {@code pid} (started at {@code start}) as a holder of {@code end}. */
    int register(int end, long pid, long start) throws IOException { return RingHolders.register(m(), end, pid, start); }

    /** Holds {@code end} for one more copy sent to a process not known yet: {@link RingHolders#sendPending}. */
    int sendPending(int end) throws IOException { return RingHolders.sendPending(m(), end); }

    /** Registers the receiver of such a copy: {@link RingHolders#receivePending}. */
    int receivePending(int end, int i, long pid, long start) throws IOException { return RingHolders.receivePending(m(), end, i, pid, start); }

    /** Takes over slot {@code i}, registered for this process by its parent: {@link RingHolders#adopt}. */
    int adopt(int end, int i, long pid, long start) throws IOException { return RingHolders.adopt(m(), end, i, pid, start); }

    /** Gives back a slot {@link #register} returned, and wakes whoever waits on the other end. */
    void unregister(int end, int i) {
        RingHolders.unregister(m(), end, i);
        if (end == WRITER) {
            ringTail();
        } else {
            int ignored = (int) INT.getAndAdd(m(), HEAD_BELL, 1);
            headBell.wake(Integer.MAX_VALUE); // whatever room they want
        }
    }

    /** Whether some process that still runs holds {@code end}: {@link RingHolders#held}. */
    private boolean held(int end, boolean checkLiveness) { return RingHolders.held(m(), end, checkLiveness); }

    // ------------------------------------------------------------------ writing

    /** Appends one message (the caller holds {@link #writeLock}). */
    void write(MemorySegment src, long offset, int length) throws IOException {
        MemorySegment d = data;
        long cap = capacity(), tail = tail();
        long idx = tail & mask;
        if (cap - (tail - headSeen) < 4L + length) headSeen = head();
        if (cap - (tail - headSeen) >= 4L + length && idx + 4 + length <= cap) { // the common case: it fits in one piece
            d.set(ValueLayout.JAVA_INT_UNALIGNED, idx, length);
            Native.copy(src, offset, d, idx + 4, length);
            publish(tail + 4 + length);
            return;
        }
        long start = tail;
        // A message that streams may be seen in part: say where it ends, for whoever takes the lock over if we die.
        LONG.setRelease(m(), MSG_START, start);
        LONG.setRelease(m(), MSG_END, start + 4 + length);
        if (4L + length <= cap && cap - (tail - headSeen) < 4L + length) { // wait for room for all of it
            awaitRoom(tail, 4 + length, Math.max(4 + length, cap / 4), true);
            headSeen = head();
        }
        MemorySegment header = MemorySegment.ofArray(new byte[4]);
        header.set(ValueLayout.JAVA_INT_UNALIGNED, 0, length);
        tail = copyIn(tail, start, header, 0, 4);
        tail = copyIn(tail, start, src, offset, length);
        publish(tail);
    }

    /** Copies into the ring from {@code tail}; the message began at {@code start}. */
    private long copyIn(long tail, long start, MemorySegment src, long offset, long n) throws IOException {
        MemorySegment d = data;
        long cap = capacity();
        while (n > 0) {
            long free = cap - (tail - head());
            if (free == 0) {
                publish(tail);
                awaitRoom(tail, 1, Math.min(n, cap / 4), tail == start);
                continue;
            }
            long idx = tail & mask, chunk = Math.min(n, Math.min(free, cap - idx));
            Native.copy(src, offset, d, idx, chunk);
            tail += chunk;
            offset += chunk;
            n -= chunk;
        }
        return tail;
    }

    private void publish(long tail) {
        LONG.setRelease(m(), TAIL, tail);
        ringTail();
    }

    /** Rings the tail bell (a full fence) and wakes the readers that sleep on its old value. */
    private void ringTail() {
        int rung = (int) INT.getAndAdd(m(), TAIL_BELL, 1);
        tailBell.wakeBell(rung);
    }

    /**
     * Waits until {@code need} bytes past {@code tail} are free, asking the reader to wake it
     * once {@code want} bytes are. Once part of a message is out, an interrupt cannot stop
     * the rest (the stream would be out of step for good): it is kept for the caller to see
     * afterwards.
     */
    private void awaitRoom(long tail, long need, long want, boolean interruptible) throws IOException {
        long cap = capacity(), enough = tail + need - cap;
        LONG.setVolatile(m(), ROOM_WANTED, tail + want - cap);
        await(want > need ? roomRechecked : room, enough, -1, interruptible);
    }

    /** Room up to a head ({@code arg}), while some process holds the reading end. */
    private final class Room implements FutexWait.Test<IOException> {
        private final long maxSleep;

        Room(long maxSleep) { this.maxSleep = maxSleep; }

        @Override
        public boolean ready(long enough) { return head() - enough >= 0; }

        @Override
        public boolean checkPeers(long enough, int seen, boolean livenessDue) throws IOException {
            if (held(READER, livenessDue)) return false;
            if (ready(enough)) return true;
            throw new IOException("broken pipe: no process holds the reading end");
        }

        @Override
        public long maxSleepNanos() { return maxSleep; }
    }

    /**
     * Called by a writer that took {@link #writeLock} over from a holder that died: if that
     * holder died in the middle of a message that readers have begun to see, completes it
     * (the right length, zeros for the bytes that never came) and marks it lost, so that
     * readers throw for it and the stream stays in step.
     */
    void repairTornWrite() throws IOException {
        long start = (long) LONG.getVolatile(m(), MSG_START), end = (long) LONG.getVolatile(m(), MSG_END), tail = tail();
        if (end - tail <= 0 || tail - start <= 0) return; // its last message went out whole, or none of it did
        LONG.setVolatile(m(), BROKEN_AT, start);
        if (tail - start < 4) {
            MemorySegment header = MemorySegment.ofArray(new byte[4]);
            header.set(ValueLayout.JAVA_INT_UNALIGNED, 0, (int) (end - start - 4));
            tail = copyIn(tail, start, header, tail - start, start + 4 - tail);
        }
        MemorySegment zeros = MemorySegment.ofArray(new byte[(int) Math.min(end - tail, 1 << 16)]);
        while (end - tail > 0) tail = copyIn(tail, start, zeros, 0, Math.min(end - tail, zeros.byteSize()));
        publish(tail);
    }

    /**
     * Called by a reader that took {@link #readLock} over from a holder that died: drops
     * what is left of the message that holder was in the middle of, so that the next read
     * starts at a message boundary.
     */
    void skipTornRead() throws IOException {
        long start = (long) LONG.getVolatile(m(), READ_START), end = (long) LONG.getVolatile(m(), READ_END), head = head();
        if (head - start <= 0) return; // it had consumed none of it: the message is whole, for us to read
        while (end - head > 0) {
            if (tail() == head) await(rest, head, -1, false);
            head = Math.min(end, tail());
            release(head);
        }
    }

    // ------------------------------------------------------------------ reading

    /**
     * Waits for the next message and returns its length, leaving the message unread: the
     * caller holds {@link #readLock} and reads it with {@link #readBody} before letting go.
     *
     * @param maxLength longer messages are refused: {@link MessageTooLongException}, the
     *                  message left unread
     */
    int nextLength(int maxLength) throws IOException {
        MemorySegment d = data;
        long head = head(), idx = head & mask;
        // tail is read only when what was seen of it is used up (other readers may have gone past it)
        if (tailSeen - head < 4) tailSeen = tail();
        int length = tailSeen - head >= 4 && idx + 4 <= capacity() ? d.get(ValueLayout.JAVA_INT_UNALIGNED, idx) : readLength(head);
        if (length < 0 || length > maxLength) throw new MessageTooLongException(length);
        return length;
    }

    /** Reads the message {@link #nextLength} announced into {@code dst} from {@code offset}. */
    void readBody(int length, byte[] dst, int offset) throws IOException {
        long head = head(), idx = head & mask, end = head + 4 + length;
        if (tailSeen - end < 0) tailSeen = tail();
        if (tailSeen - end >= 0 && idx + 4 + length <= capacity()) { // the common case: all there, in one piece
            Native.copy(data, idx + 4, MemorySegment.ofArray(dst), offset, length);
        } else {
            LONG.setRelease(m(), READ_START, head); // for whoever takes the lock over if we die
            LONG.setRelease(m(), READ_END, end);
            copyOut(head + 4, MemorySegment.ofArray(dst), offset, length);
        }
        release(end);
        checkWhole(head);
    }

    /** Throws for a message (begun at {@code start}, now consumed) whose writer died in the middle of it. */
    private void checkWhole(long start) throws IOException {
        if ((long) LONG.getAcquire(m(), BROKEN_AT) == start) {
            throw new IOException("a message was lost: the process sending it died in the middle of it");
        }
    }

    /** Thrown by {@link #read} for a message longer than the caller accepts. */
    static final class MessageTooLongException extends IOException {
        final int length;

        MessageTooLongException(int length) {
            super("bad message length");
            this.length = length;
        }
    }

    private int readLength(long head) throws IOException {
        long tail = tail();
        if (tail - head < 4) {
            await(length, head, -1, true);
            tail = tail();
        }
        long idx = head & mask;
        if (idx + 4 <= capacity()) return data.get(ValueLayout.JAVA_INT_UNALIGNED, idx);
        MemorySegment h = MemorySegment.ofArray(new byte[4]);
        copyOut(head, h, 0, 4);
        return h.get(ValueLayout.JAVA_INT_UNALIGNED, 0);
    }

    private void copyOut(long head, MemorySegment dst, long offset, long n) throws IOException {
        MemorySegment d = data;
        long cap = capacity();
        while (n > 0) {
            long avail = tail() - head;
            if (avail == 0) {
                release(head); // let a streaming writer go on
                await(rest, head, -1, false); // mid-message: not interruptible
                continue;
            }
            long idx = head & mask, chunk = Math.min(n, Math.min(avail, cap - idx));
            Native.copy(d, idx, dst, offset, chunk);
            head += chunk;
            offset += chunk;
            n -= chunk;
        }
    }

    private void release(long head) {
        LONG.setRelease(m(), HEAD, head);
        int ignored = (int) INT.getAndAdd(m(), HEAD_BELL, 1); // also the fence before the sleepers' count is read
        if ((int) INT.getVolatile(m(), WRITERS_ASLEEP) != 0) {
            long wanted = (long) LONG.getVolatile(m(), ROOM_WANTED);
            // one wake-up per request: the writer sets a new one before it sleeps again
            if (head - wanted >= 0 && LONG.compareAndSet(m(), ROOM_WANTED, wanted, NO_ROOM_WANTED)) {
                headBell.wake(Integer.MAX_VALUE);
            }
        }
    }

    /**
     * Bytes past a head ({@code arg}): {@code bytes} of them, at a message boundary or in the
     * middle of a message, or any (a poll), while some process holds the writing end; when
     * none is left and the data is consumed, end-of-file (a poll: the wait ends). While it
     * waits for the rest of a message, each liveness check also asks whether that message's
     * writer died in the middle of it, which the other writers, if idle, would notice only
     * when they next write.
     */
    private final class Data implements FutexWait.Test<IOException> {
        private final int bytes;
        private final boolean atBoundary, poll;

        Data(int bytes, boolean atBoundary, boolean poll) {
            this.bytes = bytes;
            this.atBoundary = atBoundary;
            this.poll = poll;
        }

        @Override
        public boolean ready(long head) { return tail() - head >= bytes; }

        @Override
        public boolean checkPeers(long head, int seen, boolean livenessDue) throws IOException {
            if (!held(WRITER, livenessDue)) {
                if (poll || ready(head)) return true;
                throw atBoundary && tail() == head ? new EOFException() : new IOException("got end of file during message");
            }
            if (livenessDue && !poll) dropTornWrite();
            return false;
        }
    }

    /**
     * Called by a reader waiting for the rest of a message: if the process writing it died
     * in the middle of it, takes {@link #writeLock} over from that process, drops the
     * message (what came of it and what did not) and throws for it, leaving the stream at
     * the next message for the writers that remain. The message may be longer than the
     * ring, so the reader cannot wait for the writers' repair ({@link #repairTornWrite}):
     * that needs room which only a reader makes.
     */
    private void dropTornWrite() throws IOException {
        long tail = tail();
        if ((long) LONG.getVolatile(m(), MSG_END) - tail <= 0 || tail - (long) LONG.getVolatile(m(), MSG_START) <= 0) return;
        if (!writeLock.takeOverIfHolderDied()) return; // a live writer is at work (or the lock is free: the message came whole)
        try {
            long start = (long) LONG.getVolatile(m(), MSG_START), end = (long) LONG.getVolatile(m(), MSG_END);
            tail = tail();
            if (end - tail <= 0 || tail - start <= 0) return; // another writer repaired it meanwhile
            // With both locks held nobody else moves head or tail; no writer waits for room.
            LONG.setVolatile(m(), BROKEN_AT, start);
            publish(end);
            release(end);
            tailSeen = end;
        } finally {
            writeLock.unlock();
        }
        throw new IOException("a message was lost: the process sending it died in the middle of it");
    }

    /**
     * Waits at most {@code nanos} (negative: for ever) until a message, or the end of the
     * stream, is waiting.
     */
    boolean poll(long nanos) throws IOException {
        long head = head();
        if (tail() != head) return true;
        if (nanos == 0) return !held(WRITER, livenessDue()); // a look, not a wait: no spinning
        if (await(any, head, nanos, true)) return true;
        return tail() != head || !held(WRITER, true);
    }

    /** Whether a look that does not wait should check the writers' liveness: at most once per {@link FutexWait#LIVENESS_CHECK_NANOS}, since it reads /proc. */
    private boolean livenessDue() {
        long now = System.nanoTime();
        if (lastLivenessCheck != 0 && now - lastLivenessCheck < FutexWait.LIVENESS_CHECK_NANOS) return false;
        lastLivenessCheck = now;
        return true;
    }

    /** Whether a message has begun to arrive (a cheap, exact test for {@code poll(0)}). */
    boolean hasData() { return tail() != head(); }

    /**
     * Waits on {@code w} for {@code arg}, at most {@code nanos} (negative: for ever); an
     * interrupt that ends it is an {@link InterruptedIOException}, the interrupt status set.
     *
     * @return false when {@code nanos} passed first
     */
    private static boolean await(FutexWait<IOException> w, long arg, long nanos, boolean interruptible) throws IOException {
        try {
            return w.await(arg, nanos, interruptible);
        } catch (InterruptedException e) {
            InterruptedIOException x = new InterruptedIOException("interrupted while waiting on a pipe");
            x.initCause(e);
            Thread.currentThread().interrupt();
            throw x;
        }
    }

    @Override
    public String toString() {
        return "Ring(" + handle().token() + ", " + (tail() - head()) + " bytes waiting)";
    }
}
