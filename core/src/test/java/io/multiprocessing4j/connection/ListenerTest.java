package io.multiprocessing4j.connection;

import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.testsupport.Jvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.multiprocessing4j.testsupport.Await.HANG;
import static org.junit.jupiter.api.Assertions.*;

class ListenerTest {

    @Test
    void defaultIsAUnixSocketInAPrivateTempDirRemovedOnClose() throws Exception {
        Path sock, dir;
        try (Listener l = new Listener()) {
            UnixDomainSocketAddress a = assertInstanceOf(UnixDomainSocketAddress.class, l.address());
            sock = a.getPath();
            dir = sock.getParent();
            assertTrue(sock.getFileName().toString().startsWith("listener-"), sock.toString());
            assertTrue(Files.exists(sock));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
            assertFalse(l.authenticates());
            try (Connection c = Client.connect(l.address()); Connection s = l.accept()) {
                c.sendBytes("x".getBytes());
                assertArrayEquals("x".getBytes(), s.recvBytes());
                assertNotNull(l.lastAccepted());
            }
        }
        assertFalse(Files.exists(sock));
        assertFalse(Files.exists(dir));
    }

    /**
     * A listener's process killed before it closes leaves its socket and private directory;
     * the sweep removes them once the owner is dead, and spares a live owner's.
     */
    @Test
    void aKilledListenersSocketDirectoryIsSwept(@TempDir Path tmp) throws Exception {
        try (Jvm owner = Jvm.start(Binder.class, tmp.resolve("stderr"))) {
            Path sock = Path.of(owner.awaitLine("BOUND ", HANG));
            Path dir = sock.getParent();
            assertTrue(dir.getFileName().toString().startsWith("mp4j-sock-" + owner.pid() + "-"), dir.toString());
            Multiprocessing.sweep();
            assertTrue(Files.exists(sock), "a live listener's socket is spared");
            owner.sigkill(); // no clean-up runs
            assertTrue(Files.exists(sock), "a killed listener leaves its socket");
            List<String> removed = Multiprocessing.sweep();
            assertFalse(Files.exists(dir), "swept: " + removed);
        }
    }

    /** Binds a listener to no address, prints its socket's path, and waits to be killed. */
    public static final class Binder {
        public static void main(String[] args) throws Exception {
            Listener l = new Listener();
            System.out.println("BOUND " + ((UnixDomainSocketAddress) l.address()).getPath());
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    @Test
    void givenUnixPathIsBoundAndRemovedOnClose() throws Exception {
        Path dir = Files.createTempDirectory("mp4j-listener-test");
        try {
            Path sock = dir.resolve("sock");
            try (Listener l = new Listener(UnixDomainSocketAddress.of(sock))) {
                assertEquals(UnixDomainSocketAddress.of(sock), l.address());
                assertThrows(BindException.class, () -> new Listener(UnixDomainSocketAddress.of(sock)), "same address twice");
            }
            assertFalse(Files.exists(sock));
            assertTrue(Files.exists(dir), "only the socket file: the directory is the caller's");
        } finally {
            Files.deleteIfExists(dir.resolve("sock"));
            Files.delete(dir);
        }
    }

    @Test
    void tcpPortZeroGetsARealPort() throws Exception {
        try (Listener l = new Listener(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 5, null)) {
            InetSocketAddress a = assertInstanceOf(InetSocketAddress.class, l.address());
            assertNotEquals(0, a.getPort());
            try (Connection c = Client.connect(a); Connection s = l.accept()) {
                assertEquals(((SocketConnection) c).channel().getLocalAddress(), l.lastAccepted());
                assertThrows(BindException.class, () -> new Listener(a), "same address twice");
            }
        }
    }

    @Test
    void badAddresses() {
        assertThrows(IllegalArgumentException.class, () -> new Listener(new java.net.SocketAddress() {}));
        assertThrows(IllegalArgumentException.class, () -> new Listener(InetSocketAddress.createUnresolved("nowhere.invalid", 1)));
        assertThrows(IllegalArgumentException.class, () -> Client.connect(new java.net.SocketAddress() {}));
        assertThrows(IllegalArgumentException.class, () -> Client.connect(null));
    }

    @Test
    void closedListener() throws Exception {
        Listener l = new Listener();
        l.close();
        l.close(); // idempotent
        assertTrue(l.isClosed());
        assertEquals("listener is closed", assertThrows(IOException.class, l::accept).getMessage());
    }

    @Test
    void closeFromAnotherThreadWakesAccept() throws Exception {
        Listener l = new Listener();
        CompletableFuture<Throwable> f = CompletableFuture.supplyAsync(() -> {
            try {
                l.accept();
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        Thread.sleep(50); // whether accept is waiting yet or not, the outcome is the same
        l.close();
        Throwable t = f.get(HANG.toSeconds(), TimeUnit.SECONDS);
        assertInstanceOf(IOException.class, t);
        assertEquals("listener is closed", t.getMessage());
    }

    @Test
    void acceptWithTimeoutAndInterrupt() throws Exception {
        try (Listener l = new Listener()) {
            assertNull(l.accept(Duration.ZERO));
            assertNull(l.accept(Duration.ofMillis(10)));
            Thread.currentThread().interrupt();
            try {
                assertThrows(InterruptedIOException.class, l::accept);
            } finally {
                assertTrue(Thread.interrupted(), "the interrupt status stays set");
            }
            assertFalse(l.isClosed(), "an interrupt does not close the listener");
            try (Connection c = Client.connect(l.address()); Connection s = l.accept(HANG)) {
                assertNotNull(s);
            }
        }
    }
}
