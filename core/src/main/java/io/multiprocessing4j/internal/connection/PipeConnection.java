package io.multiprocessing4j.internal.connection;

import io.multiprocessing4j.internal.os.Timeouts;
import io.multiprocessing4j.connection.BufferTooShortException;
import io.multiprocessing4j.connection.Connection;
import io.multiprocessing4j.internal.os.ExitHooks;
import io.multiprocessing4j.internal.os.Handoff;
import io.multiprocessing4j.internal.os.MemoryFault;
import io.multiprocessing4j.internal.os.ProcessIdentity;
import io.multiprocessing4j.serial.Codec;
import io.multiprocessing4j.shm.ClosedObjectException;
import io.multiprocessing4j.internal.shm.Heap;

import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;
import java.lang.foreign.MemorySegment;
import java.nio.channels.AsynchronousCloseException;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Objects;
import java.util.Set;

/**
 * One end of a {@link ShmPipe}: reads from one {@link Ring} and writes to another (a one-way
 * end has only one of them). Passing it to a child process gives the child its own open
 * view of the same end; each view is closed on its own, and the peer reads end-of-file once
 * every view of this end, in every process, is closed or dead (as Python's pipes behave
 * with file descriptors: close the ends a process does not use). Views still open when the
 * JVM exits are closed then. An end serialized for some other purpose than starting a
 * child (sent through another connection, say) is held in the sender's name until the
 * receiver reads it; a copy that is never read holds it until the sender exits. All the
 * copies a process has sent and that are not read yet take one holder slot between them.
 *
 * <p>When the context that made the pipe closes, its rings' memory goes with it: a thread of
 * that JVM that is sending, receiving or polling then (or later) gets an
 * {@link java.nio.channels.AsynchronousCloseException} whose cause is a
 * {@link ClosedObjectException}.
 */
final class PipeConnection implements Connection, Serializable {
    @Serial private static final long serialVersionUID = 1L;
    private static final Set<PipeConnection> OPEN = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
    private static volatile boolean hookInstalled;

    private final Ring in, out;
    private transient Codec codec; // travels with the end: see writeObject
    private transient int inSlot = -1, outSlot = -1;
    private transient volatile boolean closed;
    private transient volatile boolean unreadable;
    private transient volatile boolean gone; // its shared memory faulted: never touched again

    PipeConnection(Ring in, Ring out, Codec codec) throws IOException {
        this(in, out, codec, true);
    }

    private PipeConnection(Ring in, Ring out, Codec codec, boolean open) throws IOException {
        this.in = in;
        this.out = out;
        this.codec = Objects.requireNonNull(codec, "codec");
        if (open) open();
    }

    private void open() throws IOException {
        if (in != null) inSlot = in.register(Ring.READER);
        if (out != null) outSlot = out.register(Ring.WRITER);
        track();
    }

    private void track() {
        if (!hookInstalled) installHook();
        OPEN.add(this);
    }

    private static synchronized void installHook() {
        if (hookInstalled) return;
        ExitHooks.register(ExitHooks.CONNECTIONS, () -> {
            PipeConnection[] all;
            synchronized (OPEN) {
                all = OPEN.toArray(new PipeConnection[0]);
            }
            for (PipeConnection c : all) c.close();
        });
        hookInstalled = true;
    }

    /*
     * The receiver must hold the end from the moment it is sent: otherwise a parent that
     * closes its own view right after starting a child would leave the end held by nobody,
     * and the peer would read end-of-file before the child ever runs. So the sender
     * registers the child being spawned, when it is known, and the child adopts that slot.
     * Otherwise the copy is counted as pending in a slot in the sender's name, one slot for
     * all of this process's pending copies of the end; a receiver registers itself and takes
     * its copy off the count, and the last one frees the slot. A copy never received (a
     * message dropped, serialization that failed later on) keeps the end held until the
     * sender exits, as Python keeps the duplicated descriptor of a pickled connection.
     *
     * The codec goes first, before any slot is taken, so that one that cannot be serialized
     * fails the send with nothing held; the default codec goes as null, the receiving JVM
     * having its own.
     */
    @Serial
    private void writeObject(ObjectOutputStream o) throws IOException {
        if (closed) throw new IOException("handle is closed");
        o.defaultWriteObject();
        o.writeObject(codec == Codec.defaultCodec() ? null : codec);
        writeHolder(o);
    }

    /**
     * Whether this end can go to a child by {@link #writeTo}, in a few words instead of Java
     * serialization (whose first use costs a fresh JVM tens of milliseconds): one with the
     * default codec, which the child has too.
     */
    boolean portable() { return codec == Codec.defaultCodec(); }

    /** Writes this end for {@link #readFrom}: its rings by their handles, then its holder slots as {@link #writeObject} does. */
    void writeTo(DataOutputStream o) throws IOException {
        if (closed) throw new IOException("handle is closed");
        if (!portable()) throw new IllegalStateException("an end with its own codec goes by serialization");
        o.writeBoolean(in != null);
        if (in != null) in.writeHandles(o);
        o.writeBoolean(out != null);
        if (out != null) out.writeHandles(o);
        writeHolder(o);
    }

    /** The end {@link #writeTo} wrote, open in this process. */
    static PipeConnection readFrom(DataInputStream i) throws IOException {
        Ring in = i.readBoolean() ? Ring.readHandles(i) : null;
        Ring out = i.readBoolean() ? Ring.readHandles(i) : null;
        PipeConnection c = new PipeConnection(in, out, Codec.defaultCodec(), false);
        c.readHolder(i);
        return c;
    }

    private void writeHolder(DataOutput o) throws IOException {
        ProcessIdentity to = Handoff.recipient();
        boolean pending = to == null;
        if (pending) to = ProcessIdentity.current();
        o.writeLong(to.pid());
        o.writeLong(to.startTime());
        o.writeBoolean(pending);
        try {
            o.writeInt(in == null ? -1 : pending ? in.sendPending(Ring.READER) : in.register(Ring.READER, to.pid(), to.startTime()));
            o.writeInt(out == null ? -1 : pending ? out.sendPending(Ring.WRITER) : out.register(Ring.WRITER, to.pid(), to.startTime()));
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    @Serial
    private void readObject(ObjectInputStream i) throws IOException, ClassNotFoundException {
        i.defaultReadObject();
        Codec c = (Codec) i.readObject();
        codec = c == null ? Codec.defaultCodec() : c;
        readHolder(i);
    }

    private void readHolder(DataInput i) throws IOException {
        long pid = i.readLong(), start = i.readLong();
        boolean pending = i.readBoolean();
        int inGiven = i.readInt(), outGiven = i.readInt();
        try {
            if (pending) {
                inSlot = in != null ? in.receivePending(Ring.READER, inGiven, pid, start) : -1;
                outSlot = out != null ? out.receivePending(Ring.WRITER, outGiven, pid, start) : -1;
            } else {
                inSlot = in != null ? in.adopt(Ring.READER, inGiven, pid, start) : -1;
                outSlot = out != null ? out.adopt(Ring.WRITER, outGiven, pid, start) : -1;
            }
        } catch (InternalError e) {
            throw MemoryFault.io(e, "a received pipe end");
        }
        track();
    }

    // ------------------------------------------------------------------ sending

    @Override
    public void send(Object obj) throws IOException {
        checkWritable();
        byte[] b = codec.encode(obj); // fails here, before anything is sent
        write(MemorySegment.ofArray(b), 0, b.length);
    }

    @Override
    public void sendBytes(byte[] buf, int offset, int size) throws IOException {
        checkWritable();
        if (offset < 0) throw new IllegalArgumentException("offset is negative");
        if (buf.length < offset) throw new IllegalArgumentException("buffer length < offset");
        if (size < 0) throw new IllegalArgumentException("size is negative");
        if (buf.length - offset < size) throw new IllegalArgumentException("buffer length < offset + size");
        write(MemorySegment.ofArray(buf), offset, size);
    }

    private void write(MemorySegment src, long offset, int length) throws IOException {
        try {
            writeLocked(src, offset, length);
        } catch (IllegalStateException e) {
            throw closedUnder(out, e);
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    private void writeLocked(MemorySegment src, long offset, int length) throws IOException {
        lock(out.writeLock);
        try {
            if (out.writeLock.ownerDied()) out.repairTornWrite();
            out.write(src, offset, length);
        } finally {
            out.writeLock.unlock();
        }
    }

    // ------------------------------------------------------------------ receiving

    @Override
    public Object recv() throws IOException {
        return codec.decode(recvBytes());
    }

    @Override
    public byte[] recvBytes(int maxLength) throws IOException {
        if (maxLength < 0) throw new IllegalArgumentException("negative maxlength");
        return receive(maxLength, length -> {
            byte[] b = new byte[length];
            in.readBody(length, b, 0);
            return b;
        });
    }

    @Override
    public int recvBytesInto(byte[] buf, int offset) throws IOException {
        if (offset < 0) throw new IllegalArgumentException("negative offset");
        if (offset > buf.length) throw new IllegalArgumentException("offset too large");
        return receive(Integer.MAX_VALUE, length -> {
            if (length > buf.length - offset) {
                byte[] whole = new byte[length];
                in.readBody(length, whole, 0);
                throw new BufferTooShortException(whole);
            }
            in.readBody(length, buf, offset); // straight from the ring: no array in between
            return length;
        });
    }

    /** What a receive does with a message once its length is known (under the read lock). */
    @FunctionalInterface
    private interface Body<T> {
        T take(int length) throws IOException;
    }

    private <T> T receive(int maxLength, Body<T> body) throws IOException {
        checkReadable();
        try {
            return receiveLocked(maxLength, body);
        } catch (IllegalStateException e) {
            throw closedUnder(in, e);
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    private <T> T receiveLocked(int maxLength, Body<T> body) throws IOException {
        lock(in.readLock);
        try {
            if (in.readLock.ownerDied()) in.skipTornRead();
            return body.take(in.nextLength(maxLength));
        } catch (Ring.MessageTooLongException e) {
            unreadable = true; // as Python: the stream is no longer in step
            throw new IOException("bad message length", e);
        } finally {
            in.readLock.unlock();
        }
    }

    @Override
    public boolean poll(Duration timeout) throws IOException {
        checkReadable();
        try {
            if (in.hasData()) return true;
            return in.poll(Timeouts.nanos(timeout));
        } catch (IllegalStateException e) {
            throw closedUnder(in, e);
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    /**
     * What an {@link IllegalStateException} from a ring means to a caller that expects an
     * {@link IOException}: once the ring's memory is closed (its context closed, maybe while
     * this thread waited), an {@link AsynchronousCloseException} whose cause says so, as a
     * channel closed under a blocked thread; anything else is rethrown as it is.
     */
    private static IOException closedUnder(Ring ring, IllegalStateException e) {
        if (!(e instanceof ClosedObjectException) && ring.isMapped()) throw e;
        AsynchronousCloseException x = new AsynchronousCloseException();
        x.initCause(e instanceof ClosedObjectException ? e
                : new ClosedObjectException("pipe is closed (its memory was closed with its context)", e));
        return x;
    }

    private static void lock(io.multiprocessing4j.sync.Lock l) throws InterruptedIOException {
        try {
            l.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a pipe end");
        }
    }

    // ------------------------------------------------------------------ state

    private void checkOpen() throws IOException {
        if (closed) throw new IOException("handle is closed");
        if (gone) throw new IOException("the shared memory of this pipe end is gone");
    }

    /** A fault in the ring's memory (see {@link MemoryFault}): this end is of no further use. */
    private IOException fault(InternalError e) {
        IOException x = MemoryFault.io(e, "this pipe end");
        gone = true;
        return x;
    }

    private void checkReadable() throws IOException {
        checkOpen();
        if (in == null) throw new IOException("connection is write-only");
        if (unreadable) throw new IOException("connection is no longer readable: a message was refused as too long");
    }

    private void checkWritable() throws IOException {
        checkOpen();
        if (out == null) throw new IOException("connection is read-only");
    }

    @Override
    public boolean isClosed() { return closed; }

    @Override
    public boolean isReadable() { return in != null && !unreadable; }

    @Override
    public boolean isWritable() { return out != null; }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
        }
        OPEN.remove(this);
        if (gone) return; // an atomic update of cut-off memory that the JVM runs interpreted would crash it
        try {
            if (out != null && outSlot >= 0) out.unregister(Ring.WRITER, outSlot);
            if (in != null && inSlot >= 0) in.unregister(Ring.READER, inSlot);
        } catch (IllegalStateException e) {
            // the context that made the pipe is closed and its memory unmapped: nobody is left to tell
        } catch (InternalError e) {
            if (!MemoryFault.is(e)) throw e; // the memory is gone: nobody is left to tell
        }
    }

    /** Closes this end and returns the ring it reads from, with the ring's locks, to {@code heap}. */
    void free(Heap heap) {
        close();
        if (in == null) return; // each ring has one reading end, which frees it
        heap.free(in.handle());
        heap.free(in.writeLock.handle());
        heap.free(in.readLock.handle());
    }

    @Override
    public String toString() {
        return "Connection(" + (in != null ? "in=" + in : "") + (in != null && out != null ? ", " : "")
                + (out != null ? "out=" + out : "") + (closed ? ", closed" : "") + ")";
    }
}
