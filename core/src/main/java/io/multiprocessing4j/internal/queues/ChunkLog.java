package io.multiprocessing4j.internal.queues;

import io.multiprocessing4j.internal.os.Timeouts;
import io.multiprocessing4j.internal.os.Native;
import io.multiprocessing4j.internal.os.ProcessIdentity;
import io.multiprocessing4j.shm.ClosedObjectException;
import io.multiprocessing4j.internal.shm.Heap;
import io.multiprocessing4j.internal.os.Ownership;
import io.multiprocessing4j.shm.Segment;
import io.multiprocessing4j.internal.shm.Shared;
import io.multiprocessing4j.internal.sync.Futex;
import io.multiprocessing4j.internal.sync.FutexWait;
import io.multiprocessing4j.internal.sync.FutexWord;
import io.multiprocessing4j.internal.sync.ShmLock;
import io.multiprocessing4j.shm.Handle;

import static io.multiprocessing4j.internal.queues.ChunkLogLayout.*;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.Serial;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.file.FileAlreadyExistsException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;

/**
 * The storage under a {@link ShmQueue}: a header in shared memory and a chain of chunk
 * segments that items are appended to and read from, in order, by any number of producers
 * and consumers in any processes. The chain grows a chunk at a time, so an unbounded queue
 * never makes a producer wait, and an item larger than a chunk gets a chunk of its own.
 * The header and the chunks are drawn in {@link ChunkLogLayout}.
 * Producers take the put lock, append, then publish {@code tail} and {@code puts};
 * consumers take the get lock, read at {@code head}, then publish {@code gets} and
 * {@code head}. {@code puts - gets} is the number of items; consumers sleep on the low half
 * of {@code puts}, producers of a bounded queue on the low half of {@code gets}. A joinable
 * queue's unfinished tasks are {@code tasks put - tasks done}: two counters on two lines,
 * so that a producer counting a task and a consumer marking one done do not pass a cache
 * line back and forth at every item; joiners sleep on the low half of {@code tasks done}.
 * The first two are bells: every change of them wakes the sleepers, once per value slept
 * on ({@link Futex#sleepOnBell}). {@code tasks done} wakes only when it reaches
 * {@code tasks put}, so its joiners cannot use that.
 *
 * <p>One live process, the <em>keeper</em>, journals the chunks as a family
 * ({@link Ownership#claimFamily}), so that whoever appends a chunk, it is removed when
 * consumed, when the queue's context closes, when the keeper exits, or by the sweep if the
 * keeper is killed. The keeper is the process that creates the queue; a producer that
 * appends a chunk after the keeper has gone (exited, or its journal is gone) claims the
 * family first and becomes the keeper, so chunks made after the creator's exit are removed
 * at the new keeper's exit. A keeper's exit removes the chunk files that others still read:
 * processes that mapped a chunk keep it, but one that reaches a chunk it has not mapped yet
 * fails with an {@link IOException} (a {@link java.nio.file.NoSuchFileException}), as it would
 * reaching the queue's header once its creator is gone.
 *
 * <p>Death of a peer: each put and get first writes what it is about to publish into a
 * commit journal in the header (256..336). A producer killed before publishing its tail has
 * published nothing, and the next producer writes over the remains; one killed after it has
 * its step finished by the next producer, which the put lock tells that its holder died. A
 * consumer killed before counting its item leaves it for the next get; one killed after has
 * its head moved on by the next consumer. The queue stays usable and at most that one item
 * is lost; a task counted by a dead producer is counted once (its count is in the journal).
 */
final class ChunkLog extends Shared {
    @Serial private static final long serialVersionUID = 1L;
    static final String KIND = "Queue";
    static final int DEFAULT_CHUNK = 1 << 20;

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final class Ids { // only a creator needs it: a child that attaches never loads it
        static final SecureRandom RANDOM = new SecureRandom();
    }

    final ShmLock putLock, getLock;
    private transient Segment putChunk, getChunk;
    // What this process last saw of the tasks put (a lower bound: it only grows); racy reads are harmless.
    private transient long tasksSeen;
    private transient int putChunkNo, getChunkNo;
    // The waits (made by the first of each): for an item, for room (arg: the bound), for the tasks.
    private transient FutexWait<RuntimeException> item, room, tasksDone;
    private transient volatile boolean destroyed; // by this process's context: later failures mean "closed"

    private ChunkLog(Heap.Block block, int maxsize, int chunkSize, ShmLock putLock, ShmLock getLock) {
        super(block, KIND);
        this.putLock = putLock;
        this.getLock = getLock;
        MemorySegment m = memory();
        m.set(ValueLayout.JAVA_INT, MAGIC_AT, MAGIC);
        m.set(ValueLayout.JAVA_INT, VERSION_AT, VERSION);
        m.set(ValueLayout.JAVA_INT, CHUNK, chunkSize);
        m.set(ValueLayout.JAVA_INT, MAXSIZE, maxsize);
        m.set(ValueLayout.JAVA_LONG, ID, Ids.RANDOM.nextLong());
        LONG.setVolatile(m, KEEPER_START, ProcessIdentity.current().startTime());
        LONG.setVolatile(m, KEEPER_PID, ProcessIdentity.current().pid());
        LONG.setVolatile(m, TAIL, RECORDS);
        LONG.setVolatile(m, HEAD, RECORDS);
        LONG.setVolatile(m, PUT_TAIL, RECORDS); // the journals say "nothing half done"
        LONG.setVolatile(m, GET_HEAD, RECORDS);
    }

    /** A view of the log {@code handle} names, with its locks: what {@link #readHandles} rebuilds. */
    private ChunkLog(Handle handle, ShmLock putLock, ShmLock getLock) {
        super(handle, KIND);
        this.putLock = putLock;
        this.getLock = getLock;
    }

    /** Writes what {@link #readHandles} needs to map this log in another process: its handle and its locks'. */
    void writeHandles(DataOutput out) throws IOException {
        writeHandle(out, handle());
        writeHandle(out, putLock.handle());
        writeHandle(out, getLock.handle());
    }

    /** The log {@link #writeHandles} wrote, mapped in this process. */
    static ChunkLog readHandles(DataInput in) throws IOException {
        Handle log = readHandle(in), put = readHandle(in), get = readHandle(in);
        try {
            return new ChunkLog(log, ShmLock.attach(put), ShmLock.attach(get));
        } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
            throw new IOException("cannot map a received queue: " + e.getMessage(), e);
        }
    }

    /** A new, empty log: {@code maxsize} 0 for unbounded. */
    static ChunkLog create(Heap heap, int maxsize, int chunkSize) {
        if (chunkSize < 4096) throw new IllegalArgumentException("chunk size must be at least 4096, not " + chunkSize);
        ChunkLog log = new ChunkLog(heap.allocate(HEADER_SIZE), maxsize, chunkSize, ShmLock.create(heap), ShmLock.create(heap));
        try {
            Ownership.claimFamily(log.family());
            Segment.createUnowned(log.chunkName(0), chunkSize).close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the queue's first chunk", e);
        }
        return log;
    }

    private MemorySegment m() { return memory(); }

    private String family() { return "mp4j_q" + HexFormat.of().toHexDigits(m().get(ValueLayout.JAVA_LONG, ID)) + "_"; }

    private String chunkName(int n) { return family() + n; }

    int maxsize() { return m().get(ValueLayout.JAVA_INT, MAXSIZE); }

    long size() { return Math.max(0, (long) LONG.getVolatile(m(), PUTS) - (long) LONG.getVolatile(m(), GETS)); }

    // ------------------------------------------------------------------ put

    /**
     * Appends one item, waiting at most until {@code deadline} (see {@link Timeouts#deadline})
     * for the put lock and, in a bounded queue, for room.
     *
     * @return false if the deadline passed first (nothing was appended)
     * @throws ClosedObjectException the queue's memory was closed (its context closed)
     */
    boolean put(byte[] item, long deadline, boolean countTask) throws IOException {
        try {
            return putLocked(item, deadline, countTask);
        } catch (IllegalStateException e) {
            throw closed(e);
        }
    }

    private boolean putLocked(byte[] item, long deadline, boolean countTask) throws IOException {
        // An unbounded queue's put lock is only ever held for an append: wait for it, even
        // when the caller does not want to wait for room (there is always room).
        if (!lock(putLock, maxsize() == 0 ? Long.MAX_VALUE : deadline)) return false;
        try {
            if (putLock.ownerDied()) finishPut();
            int max = maxsize();
            if (max > 0 && !await(room(), max, deadline)) return false;
            long tail = (long) LONG.getAcquire(m(), TAIL);
            int n = (int) (tail >>> 32);
            long off = (int) tail;
            long need = (4L + item.length + 3) & ~3L;
            MemorySegment c = chunkForPut(n, putLock.ownerDied());
            if (off + need > c.byteSize()) {
                if (off + 4 <= c.byteSize()) c.set(ValueLayout.JAVA_INT, off, -1);
                n++;
                c = newChunk(n, Math.max(m().get(ValueLayout.JAVA_INT, CHUNK), RECORDS + need));
                off = RECORDS;
            }
            c.set(ValueLayout.JAVA_INT, off, item.length);
            Native.copy(MemorySegment.ofArray(item), 0, c, off + 4, item.length);
            // Release stores, in order: they need no fence of their own; only the last one is
            // volatile, for the sleepers' count read after it.
            long newTail = ((long) n << 32) | (off + need), newPuts = (long) LONG.getOpaque(m(), PUTS) + 1;
            long newTasks = (long) LONG.getOpaque(m(), TASKS) + (countTask ? 1 : 0);
            LONG.setRelease(m(), PUT_TAIL, newTail);
            LONG.setRelease(m(), PUT_PUTS, newPuts);
            LONG.setRelease(m(), PUT_TASKS, newTasks);
            LONG.setRelease(m(), TAIL, newTail);
            LONG.setRelease(m(), TASKS, newTasks);
            LONG.setVolatile(m(), PUTS, newPuts);
            Futex.wakeBell(m(), PUTS, CONSUMERS_ASLEEP, CONSUMERS_SLEPT_ON, (int) (newPuts - 1));
            return true;
        } finally {
            putLock.unlock();
        }
    }

    private MemorySegment chunkForPut(int n, boolean afterDeath) throws IOException {
        if (putChunk == null || putChunkNo != n || afterDeath) { // (transient fields start at 0 after deserialization)
            if (putChunk != null) putChunk.close();
            putChunk = null;
            putChunk = Segment.attach(chunkName(n));
            putChunkNo = n;
        }
        return putChunk.memory();
    }

    private MemorySegment newChunk(int n, long size) throws IOException {
        if (size > Integer.MAX_VALUE) throw new IOException("item too large for a queue chunk");
        String name = chunkName(n);
        if (putChunk != null) putChunk.close();
        putChunk = null;
        keepFamily(); // journaled before the file exists, as every owned segment is
        Segment s;
        try {
            s = Segment.createUnowned(name, size);
        } catch (FileAlreadyExistsException e) {
            // left by a producer killed after making it and before publishing: we hold its lock now
            Segment.remove(name);
            s = Segment.createUnowned(name, size);
        }
        // A keeper that was exiting may have listed its family before the file existed.
        if (!keeperStays()) keepFamily();
        s.memory().set(ValueLayout.JAVA_INT, CHUNK_SIZE_AT, (int) size);
        putChunk = s;
        putChunkNo = n;
        return s.memory();
    }

    /**
     * Makes this process the keeper (see the class comment) unless a live keeper still
     * journals the family. Called under the put lock, so two producers never take it at once.
     */
    private void keepFamily() throws IOException {
        if (keeperStays()) return;
        Ownership.claimFamily(family());
        ProcessIdentity me = ProcessIdentity.current();
        LONG.setVolatile(m(), KEEPER_START, me.startTime());
        LONG.setVolatile(m(), KEEPER_PID, me.pid());
    }

    /** Whether the keeper is this process, or another that is alive and has not yet cleaned up at its exit. */
    private boolean keeperStays() {
        ProcessIdentity keeper = new ProcessIdentity((long) LONG.getVolatile(m(), KEEPER_PID),
                (long) LONG.getVolatile(m(), KEEPER_START));
        if (keeper.equals(ProcessIdentity.current())) return Ownership.keeps(family());
        return keeper.isAlive() && Ownership.hasJournal(keeper);
    }

    // ------------------------------------------------------------------ get

    /**
     * Takes the oldest item, waiting at most until {@code deadline} for the get lock and for
     * an item; with {@code remove} false, leaves it in place (a peek).
     *
     * @return the item's bytes, or null if the deadline passed first
     * @throws ClosedObjectException the queue's memory was closed (its context closed)
     */
    byte[] get(long deadline, boolean remove) throws IOException {
        try {
            return getLocked(deadline, remove);
        } catch (IllegalStateException e) {
            throw closed(e);
        }
    }

    /** What an {@link IllegalStateException} from the queue's memory means: the header's or a chunk's mapping closed. */
    private IllegalStateException closed(IllegalStateException e) {
        if (e instanceof ClosedObjectException || !destroyed) return ClosedObjectException.of(m(), e);
        return new ClosedObjectException("queue is closed (its memory was closed with its context)", e);
    }

    private byte[] getLocked(long deadline, boolean remove) throws IOException {
        if (!lock(getLock, deadline)) return null;
        try {
            if (getLock.ownerDied()) finishGet();
            if (!await(item(), 0, deadline)) return null;
            long head = (long) LONG.getAcquire(m(), HEAD);
            int n = (int) (head >>> 32);
            long off = (int) head;
            MemorySegment c = chunkForGet(n);
            if (off + 4 > c.byteSize() || c.get(ValueLayout.JAVA_INT, off) == -1) {
                n++;
                off = RECORDS;
                c = chunkForGet(n);
                LONG.setVolatile(m(), GET_HEAD, ((long) n << 32) | off);
                LONG.setVolatile(m(), HEAD, ((long) n << 32) | off);
                Segment.remove(chunkName(n - 1)); // consumed: nobody reads it again
            }
            int length = c.get(ValueLayout.JAVA_INT, off);
            byte[] item = new byte[length];
            Native.copy(c, off + 4, MemorySegment.ofArray(item), 0, length);
            if (remove) {
                long newHead = ((long) n << 32) | (off + ((4L + length + 3) & ~3L));
                long newGets = (long) LONG.getOpaque(m(), GETS) + 1;
                LONG.setRelease(m(), GET_HEAD, newHead);
                LONG.setRelease(m(), GET_GETS, newGets);
                LONG.setRelease(m(), GETS, newGets);
                if (maxsize() > 0) {
                    LONG.setVolatile(m(), HEAD, newHead);
                    Futex.wakeBell(m(), GETS, PRODUCERS_ASLEEP, PRODUCERS_SLEPT_ON, (int) (newGets - 1));
                } else {
                    LONG.setRelease(m(), HEAD, newHead); // nobody sleeps on room
                }
            }
            return item;
        } finally {
            getLock.unlock();
        }
    }

    private MemorySegment chunkForGet(int n) throws IOException {
        if (getChunk == null || getChunkNo != n) {
            if (getChunk != null) getChunk.close();
            getChunk = null;
            getChunk = Segment.attach(chunkName(n));
            getChunkNo = n;
        }
        return getChunk.memory();
    }

    /**
     * After a producer died holding the put lock: if it had published the item's tail but not
     * its count, finish the step (the item is whole: the tail goes out only after the bytes);
     * if it had not published the tail, nothing of it is visible and the next put overwrites it.
     */
    private void finishPut() {
        long tail = (long) LONG.getVolatile(m(), PUT_TAIL), puts = (long) LONG.getVolatile(m(), PUT_PUTS);
        if ((long) LONG.getVolatile(m(), PUTS) == puts || (long) LONG.getVolatile(m(), TAIL) != tail) return;
        LONG.setVolatile(m(), TASKS, (long) LONG.getVolatile(m(), PUT_TASKS)); // set, not added: counted once
        LONG.setVolatile(m(), PUTS, puts);
        Futex.wakeBell(m(), PUTS, CONSUMERS_ASLEEP, CONSUMERS_SLEPT_ON, (int) (puts - 1));
    }

    /**
     * After a consumer died holding the get lock: if it had counted its item as taken but not
     * moved the head past it, move the head (the item is lost with the consumer); if it had
     * not counted it, the item is still there for the next get.
     */
    private void finishGet() {
        long head = (long) LONG.getVolatile(m(), GET_HEAD), gets = (long) LONG.getVolatile(m(), GET_GETS);
        if ((long) LONG.getVolatile(m(), GETS) == gets && (long) LONG.getVolatile(m(), HEAD) != head) {
            LONG.setVolatile(m(), HEAD, head);
        }
    }

    // ------------------------------------------------------------------ tasks

    /**
     * One task done; false when none was unfinished. Reads the producers' count only when
     * what this process last saw of it does not settle the question (it only grows).
     */
    boolean taskDone() {
        while (true) {
            long done = (long) LONG.getVolatile(m(), DONE);
            long tasks = tasksSeen;
            if (done >= tasks) tasksSeen = tasks = (long) LONG.getVolatile(m(), TASKS);
            if (done >= tasks) return false;
            if (LONG.compareAndSet(m(), DONE, done, done + 1)) {
                if (done + 1 == tasks && done + 1 == (tasksSeen = (long) LONG.getVolatile(m(), TASKS))) {
                    Futex.wake(m(), DONE, JOINERS_ASLEEP, Integer.MAX_VALUE);
                }
                return true;
            }
        }
    }

    int unfinished() {
        long done = (long) LONG.getVolatile(m(), DONE);
        return (int) ((long) LONG.getVolatile(m(), TASKS) - done);
    }

    /** Waits until every task is done, at most until {@code deadline}. */
    boolean join(long deadline) throws IOException {
        try {
            return await(tasksDone(), 0, deadline);
        } catch (IllegalStateException e) {
            throw closed(e);
        }
    }

    /** Removes every chunk: the queue's memory is going away. */
    void destroy() {
        destroyed = true;
        if (putChunk != null) putChunk.close();
        if (getChunk != null) getChunk.close();
        putChunk = getChunk = null;
        Ownership.releaseFamily(family());
    }

    // ------------------------------------------------------------------ waiting

    private static boolean lock(ShmLock l, long deadline) throws InterruptedIOException {
        try {
            return deadline == Long.MAX_VALUE ? acquire(l) : l.acquire(true, Duration.ofNanos(Timeouts.remaining(deadline)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a queue");
        }
    }

    private static boolean acquire(ShmLock l) throws InterruptedException {
        l.acquire();
        return true;
    }

    // Sleepers wait on the low half of a long.
    private FutexWait<RuntimeException> item() {
        FutexWait<RuntimeException> w = item;
        if (w == null) {
            MemorySegment m = m();
            item = w = new FutexWait<>(FutexWord.bell(m, PUTS, CONSUMERS_ASLEEP, CONSUMERS_SLEPT_ON),
                    arg -> (long) LONG.getVolatile(m, PUTS) > (long) LONG.getVolatile(m, GETS));
        }
        return w;
    }

    private FutexWait<RuntimeException> room() {
        FutexWait<RuntimeException> w = room;
        if (w == null) {
            MemorySegment m = m();
            room = w = new FutexWait<>(FutexWord.bell(m, GETS, PRODUCERS_ASLEEP, PRODUCERS_SLEPT_ON),
                    max -> (long) LONG.getVolatile(m, PUTS) - (long) LONG.getVolatile(m, GETS) < max);
        }
        return w;
    }

    private FutexWait<RuntimeException> tasksDone() {
        FutexWait<RuntimeException> w = tasksDone;
        if (w == null) tasksDone = w = new FutexWait<>(FutexWord.plain(m(), DONE, JOINERS_ASLEEP), arg -> unfinished() == 0);
        return w;
    }

    private static boolean await(FutexWait<RuntimeException> w, long arg, long deadline) throws InterruptedIOException {
        try {
            return w.awaitUntil(arg, deadline, true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a queue");
        }
    }

    @Override
    public String toString() { return "ChunkLog(" + handle().token() + ", " + size() + " items)"; }
}
