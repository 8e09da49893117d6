package io.multiprocessing4j.connection;

import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.process.SpawnOptions;
import io.multiprocessing4j.process.StartMethod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.multiprocessing4j.testsupport.Await.HANG;
import static org.junit.jupiter.api.Assertions.*;

class ConnectionsWaitTest {

    final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) c.close();
    }

    <T extends AutoCloseable> T track(T c) {
        open.add(c);
        return c;
    }

    Connection[] pair(Listener l) throws IOException {
        Connection a = track(Client.connect(l.address()));
        Connection b = track(l.accept());
        return new Connection[] {a, b};
    }

    @Test
    void socketsOnlyReturnsTheReadyOnesInInputOrder() throws Exception {
        Listener l = track(new Listener());
        Connection[] p1 = pair(l), p2 = pair(l), p3 = pair(l);
        List<Connection> readers = List.of(p1[1], p2[1], p3[1]);
        assertEquals(List.of(), Connections.wait(readers, Duration.ZERO));
        assertEquals(List.of(), Connections.wait(readers, Duration.ofMillis(20)));
        assertEquals(List.of(), Connections.wait(readers, Duration.ofMillis(-1)));
        p3[0].sendBytes("3".getBytes());
        p1[0].sendBytes("1".getBytes());
        // both arrive eventually; the first wait may see only one of them
        List<Connection> ready = Connections.wait(readers, HANG);
        assertFalse(ready.isEmpty());
        while (ready.size() < 2) ready = Connections.wait(readers, HANG);
        assertEquals(List.of(p1[1], p3[1]), ready);
        // after the message has been read into the connection's buffer, wait still sees it
        p1[1].poll();
        assertEquals(List.of(p1[1], p3[1]), Connections.wait(readers, Duration.ZERO));
        p1[1].recvBytes();
        p3[1].recvBytes();
        assertEquals(List.of(), Connections.wait(readers, Duration.ZERO));
        p2[0].close();
        assertEquals(List.of(p2[1]), Connections.wait(readers, HANG), "EOF is ready");
        assertThrows(EOFException.class, p2[1]::recvBytes);
    }

    @Test
    void waitsForEverUntilSomethingArrives() throws Exception {
        Listener l = track(new Listener());
        Connection[] p = pair(l);
        CountDownLatch waiting = new CountDownLatch(1);
        CompletableFuture<List<Connection>> f = CompletableFuture.supplyAsync(() -> {
            waiting.countDown();
            try {
                return Connections.wait(List.of(p[1]), null);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        waiting.await();
        p[0].send("wake");
        assertEquals(List.of(p[1]), f.get(HANG.toSeconds(), TimeUnit.SECONDS));
    }

    @Test
    void listenerIsReadyWhenAPeerWaits() throws Exception {
        Listener l = track(new Listener());
        assertEquals(List.of(), Connections.wait(List.of(l), Duration.ZERO));
        Connection c = track(Client.connect(l.address()));
        assertEquals(List.of(l), Connections.wait(List.of(l), HANG));
        track(l.accept());
        assertNotNull(c);
    }

    /** A connection that is not a socket: the shared-memory pipes look like this to wait(). */
    static final class MemoryConnection implements Connection {
        final ArrayDeque<byte[]> q = new ArrayDeque<>();
        boolean closed;

        synchronized void put(byte[] b) { q.add(b); }

        @Override public void send(Object obj) { throw new UnsupportedOperationException(); }
        @Override public Object recv() { throw new UnsupportedOperationException(); }
        @Override public synchronized void sendBytes(byte[] buf, int offset, int size) { q.add(java.util.Arrays.copyOfRange(buf, offset, offset + size)); }
        @Override public synchronized byte[] recvBytes(int maxLength) { return q.poll(); }
        @Override public int recvBytesInto(byte[] buf, int offset) { throw new UnsupportedOperationException(); }
        @Override public synchronized boolean poll(Duration timeout) { return !q.isEmpty(); }
        @Override public boolean isClosed() { return closed; }
        @Override public boolean isReadable() { return true; }
        @Override public boolean isWritable() { return true; }
        @Override public void close() { closed = true; }
    }

    static final CountDownLatch RELEASE = new CountDownLatch(1);

    @Test
    void aMixOfSocketsOtherConnectionsAndProcesses() throws Exception {
        Listener l = track(new Listener());
        Connection[] p = pair(l);
        MemoryConnection mem = new MemoryConnection();
        BaseProcess proc = new BaseProcess(a -> RELEASE.await()).startMethod(StartMethod.THREAD, SpawnOptions.defaults());
        proc.start();
        try {
            List<Object> all = List.of(mem, p[1], proc);
            assertEquals(List.of(), Connections.wait(all, Duration.ZERO));
            assertEquals(List.of(), Connections.wait(all, Duration.ofMillis(30)));

            // a socket wakes a wait that also polls the others
            CompletableFuture<List<Object>> f = CompletableFuture.supplyAsync(() -> {
                try {
                    return Connections.wait(all, HANG);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            p[0].sendBytes("s".getBytes());
            assertEquals(List.of(p[1]), f.get(HANG.toSeconds(), TimeUnit.SECONDS));
            p[1].recvBytes();

            mem.put("m".getBytes());
            assertEquals(List.of(mem), Connections.wait(all, HANG));
            mem.recvBytes(10);

            RELEASE.countDown();
            assertEquals(List.of(proc), Connections.wait(all, HANG), "an ended process is ready");
            mem.put("m".getBytes());
            p[0].sendBytes("s".getBytes());
            List<Object> ready = Connections.wait(all, HANG);
            while (ready.size() < 3) ready = Connections.wait(all, HANG);
            assertEquals(all, ready, "input order");
        } finally {
            RELEASE.countDown();
            proc.join(HANG);
        }
    }

    @Test
    void errors() throws Exception {
        Listener l = track(new Listener());
        Connection[] p = pair(l);
        p[0].close();
        assertEquals("handle is closed", assertThrows(IOException.class, () -> Connections.wait(List.of(p[1], p[0]), Duration.ZERO)).getMessage());
        Listener closed = new Listener();
        closed.close();
        assertEquals("listener is closed", assertThrows(IOException.class, () -> Connections.wait(List.of(closed), Duration.ZERO)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Connections.wait(List.of("not waitable"), Duration.ZERO));
        assertThrows(IllegalStateException.class, () -> Connections.wait(List.of(new BaseProcess(a -> {})), Duration.ZERO), "process not started");
        assertEquals(List.of(), Connections.wait(List.of(), Duration.ZERO));
    }

    @Test
    void interruptedWaitThrows() throws Exception {
        Listener l = track(new Listener());
        Connection[] p = pair(l);
        MemoryConnection mem = new MemoryConnection();
        Thread.currentThread().interrupt();
        try {
            assertThrows(InterruptedIOException.class, () -> Connections.wait(List.of(p[1]), HANG));
            Thread.currentThread().interrupt();
            assertThrows(InterruptedIOException.class, () -> Connections.wait(List.of(mem), HANG));
            Thread.currentThread().interrupt();
            assertThrows(InterruptedIOException.class, () -> Connections.wait(List.of(mem, p[1]), HANG));
        } finally {
            Thread.interrupted();
        }
    }
}
