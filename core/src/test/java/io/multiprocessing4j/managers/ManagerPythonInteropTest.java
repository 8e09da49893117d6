package io.multiprocessing4j.managers;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.connection.AuthenticationException;
import io.multiprocessing4j.queues.Empty;
import io.multiprocessing4j.queues.Queue;
import io.multiprocessing4j.sync.Event;
import io.multiprocessing4j.sync.Lock;
import io.multiprocessing4j.sync.RLock;
import io.multiprocessing4j.testsupport.PythonPeer;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import static org.junit.jupiter.api.Assertions.*;

/**
 * CPython's manager protocol both ways, against a real {@code python3} (the peer script
 * {@code mp_manager_peer.py}): a Java client of a CPython {@code SyncManager}, a CPython
 * client of a Java manager, objects of one side seen by the other, wrong keys, and a server
 * that dies while the other side is connected.
 */
class ManagerPythonInteropTest {
    static final byte[] KEY = "python-interop-key".getBytes(StandardCharsets.UTF_8);
    static final String KEYHEX = HexFormat.of().formatHex(KEY);
    static final Map<String, Object> SHARED = new LinkedHashMap<>(); // in the Java server's JVM

    /** A user type served to Python clients by its Java methods. */
    public static final class Counter {
        private int n;

        public Counter(int start) { n = start; }

        public int increment() { return ++n; }

        public int increment(int by) { return n += by; }

        public int value() { return n; }
    }

    static Path script() throws Exception {
        return Path.of(ManagerPythonInteropTest.class.getResource("/mp_manager_peer.py").toURI());
    }

    static SyncManager javaServer(Context ctx) {
        return ctx.syncManager(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), KEY)
                .register("get_shared", a -> SHARED, DictProxy.class)
                .register("Counter", a -> new Counter(a.length == 0 ? 0 : (Integer) a[0]));
    }

    static int port(String address) { return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1)); }

    // ------------------------------------------------------------------ a Python client, a Java server

    @Test
    void aPythonClientUsesEveryKindOnAJavaManager() throws Exception {
        try (Context ctx = Multiprocessing.getContext("spawn"); SyncManager m = javaServer(ctx).start()) {
            @SuppressWarnings("unchecked") DictProxy<String, Object> shared = (DictProxy<String, Object>) m.create("get_shared");
            shared.put("from_java", List.of("j", 1));
            PythonPeer py = PythonPeer.start(script(), "client", String.valueOf(port(m.address())), KEYHEX);
            assertEquals("[('a', 1), ('b', 2), ('c', 3)] 3 True dflt 1", py.expect("DICT"));
            assertEquals("('missing',)", py.expect("KEYERROR"));
            assertEquals("('c', 3) POP 1 ['b'] ['b']", py.expect("POPITEM"));
            assertEquals("[1, 2, 3, 4, 5] 1 5 5 [2, 3] 2 1 True", py.expect("LIST"));
            assertEquals("['x', 3, 4, 5] 5 ['x', 3, 4]", py.expect("LIST2"));
            assertEquals("list index out of range", py.expect("INDEXERROR"));
            assertEquals("1 two", py.expect("NS"));
            py.expect("NOATTR");
            assertEquals("2 True", py.expect("FULL"));
            assertEquals("1 2 True", py.expect("GET"));
            py.expect("EMPTY");
            py.expect("JOINED");
            assertEquals("True False False", py.expect("LOCK"));
            py.expect("RELEASEERROR");
            py.expect("RLOCKERROR");
            py.expect("BOUNDED");
            assertEquals("False False", py.expect("EVENT"));
            assertEquals("True True", py.expect("EVENT2"));
            assertEquals("8", py.expect("VALUE"));
            assertEquals("16 16", py.expect("COUNTER"));
            assertEquals("['j', 1]", py.expect("SHARED"));
            py.expect("DONE");
            assertEquals(0, py.exit());
            // what the Python client stored is there for Java, as Java values
            List<?> fromPython = (List<?>) shared.get("from_python");
            assertEquals(1, fromPython.get(0));
            assertEquals("two", fromPython.get(1));
            assertEquals(3.5, fromPython.get(2));
            assertNull(fromPython.get(3));
            assertEquals(List.of(1, 2), fromPython.get(4));
            assertArrayEquals(new byte[] {0, (byte) 0xff}, (byte[]) ((Map<?, ?>) fromPython.get(5)).get("k"));
            // a proxy of the server's own list, stored by the Python client, is that list
            assertEquals(List.of("x", 3, 4), shared.get("list_proxy"));
            shared.close();
        }
    }

    @Test
    void aPythonClientWithTheWrongKeyIsRefused() throws Exception {
        try (Context ctx = Multiprocessing.getContext("spawn"); SyncManager m = javaServer(ctx).start()) {
            PythonPeer py = PythonPeer.start(script(), "badkey", String.valueOf(port(m.address())), HexFormat.of().formatHex("nope".getBytes()));
            assertEquals("AuthenticationError", py.expect("AUTHFAIL"));
            assertEquals(0, py.exit());
            assertEquals(0, m.numberOfObjects());
        }
    }

    @Test
    void aPythonClientFailsFastWhenTheJavaServerDies() throws Exception {
        try (Context ctx = Multiprocessing.getContext("spawn")) {
            SyncManager m = javaServer(ctx).start();
            PythonPeer py = PythonPeer.start(script(), "gone", String.valueOf(port(m.address())), KEYHEX);
            py.expect("READY");
            m.process().kill();
            m.process().join();
            py.go();
            String error = py.expect("GONE");
            assertTrue(List.of("EOFError", "ConnectionResetError", "BrokenPipeError", "ConnectionRefusedError").contains(error), error);
            assertEquals(0, py.exit());
            m.shutdown();
        }
    }

    // ------------------------------------------------------------------ a Java client, a CPython server

    /** A CPython SyncManager server in python3, stopped by close(). */
    record PythonServer(PythonPeer peer, InetSocketAddress address) implements AutoCloseable {
        static PythonServer start() throws Exception {
            PythonPeer p = PythonPeer.start(script(), "serve", KEYHEX);
            int port = Integer.parseInt(p.expect("PORT"));
            return new PythonServer(p, new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        }

        @Override
        public void close() throws Exception {
            peer.process().destroyForcibly();
            peer.process().waitFor();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aJavaClientUsesACPythonSyncManager() throws Exception {
        try (PythonServer server = PythonServer.start();
             SyncManager m = Multiprocessing.pythonManager(server.address(), KEY)) {
            m.register("get_shared", null, DictProxy.class).register("Counter");
            m.connect();
            DictProxy<Object, Object> d = m.dict(Map.of("a", 1));
            d.put("b", List.of(1, 2.5, "three"));
            assertEquals(2, d.size());
            assertEquals(1, d.get("a"));
            assertEquals(List.of(1, 2.5, "three"), d.get("b"));
            assertTrue(d.containsKey("b"));
            NoSuchElementException missing = assertThrows(NoSuchElementException.class, () -> d.getItem("zz"));
            assertEquals("KeyError: 'zz'", missing.getMessage());
            assertEquals("builtins.KeyError", ((PythonException) missing.getCause()).pythonType());
            assertEquals(Map.Entry.class.isInstance(d.popItem()), true);
            assertEquals(Map.of("a", 1), d.snapshot());
            assertThrows(UnsupportedOperationException.class, () -> d.putIfAbsent("a", 2));

            ListProxy<Object> l = m.list(List.of(3, 1, 2));
            l.add(0);
            l.sort();
            assertEquals(List.of(0, 1, 2, 3), l.snapshot());
            assertEquals(3, l.get(3));
            assertThrows(IndexOutOfBoundsException.class, () -> l.get(10));
            assertEquals(2, l.indexOf(2));
            assertEquals(-1, l.indexOf(42));
            assertTrue(l.remove((Object) 0));
            assertEquals(List.of(1, 2, 3), List.copyOf(l.subList(0, 3)));

            Namespace ns = m.namespace(Map.of("x", 1));
            ns.set("y", "two");
            assertEquals("two", ns.get("y"));
            assertTrue(ns.has("x"));
            assertFalse(ns.has("nope"));
            assertEquals(Map.of("x", 1, "y", "two"), ns.snapshot());

            Queue<Object> q = m.queue(1);
            assertTrue(q.offer("item"));
            assertFalse(q.offer("more", 50, java.util.concurrent.TimeUnit.MILLISECONDS));
            assertEquals("item", q.get());
            assertThrows(Empty.class, () -> q.get(true, Duration.ofMillis(50)));

            Lock lock = m.lock();
            assertTrue(lock.acquire(true, Duration.ofSeconds(5)));
            assertFalse(lock.acquire(false, null));
            lock.release();
            RLock rlock = m.rlock();
            rlock.acquire();
            rlock.acquire();
            rlock.release();
            rlock.release();

            Event ev = m.event();
            assertFalse(ev.await(Duration.ofMillis(20)));
            ev.set();
            assertTrue(ev.isSet());

            ValueProxy<Integer> v = m.value('i', 41);
            v.set(v.get() + 1);
            assertEquals(42, v.get());

            DictProxy<String, Object> shared = (DictProxy<String, Object>) m.create("get_shared");
            shared.put("from_java", List.of("j"));
            shared.put("list", l); // a proxy of this server's list: it comes back as a proxy of the same list
            ListProxy<Object> again = (ListProxy<Object>) shared.get("list");
            again.add(4);
            assertEquals(List.of(1, 2, 3, 4), l.snapshot());
            AutoProxy c = (AutoProxy) m.create("Counter", 5);
            assertEquals(6, c.call("increment"));
            assertEquals(16, c.call("increment", 10));
            PythonException raised = assertThrows(PythonException.class, () -> c.call("fail"));
            assertEquals("builtins.LookupError", raised.pythonType());
            assertEquals(List.of("counter says no"), raised.pythonArgs());
            assertThrows(UnsupportedOperationException.class, m::condition);
        }
    }

    @Test
    void aJavaClientWithTheWrongKeyIsRefusedByCPython() throws Exception {
        try (PythonServer server = PythonServer.start();
             SyncManager m = Multiprocessing.pythonManager(server.address(), "wrong".getBytes())) {
            assertThrows(AuthenticationException.class, m::connect);
        }
    }

    @Test
    void aJavaClientFailsFastWhenTheCPythonServerDies() throws Exception {
        PythonServer server = PythonServer.start();
        try (SyncManager m = Multiprocessing.pythonManager(server.address(), KEY)) {
            m.connect();
            DictProxy<String, Object> d = m.dict();
            d.put("x", 1);
            server.close();
            assertThrows(ManagerUnreachableException.class, () -> d.put("x", 2));
            assertThrows(ManagerUnreachableException.class, m::dict);
        }
    }

    // ------------------------------------------------------------------ both protocols on one Java server

    @Test
    @SuppressWarnings("unchecked")
    void aJavaClientInPythonProtocolSharesObjectsWithAJavaClient() throws Exception {
        try (Context ctx = Multiprocessing.getContext("spawn"); SyncManager server = javaServer(ctx).start()) {
            DictProxy<String, Object> javaSide = (DictProxy<String, Object>) server.create("get_shared");
            try (SyncManager py = ctx.pythonManager(new InetSocketAddress(InetAddress.getLoopbackAddress(), port(server.address())), KEY)) {
                py.register("get_shared", null, DictProxy.class).connect();
                DictProxy<String, Object> pySide = (DictProxy<String, Object>) py.create("get_shared");
                for (int i = 0; i < 200; i++) {
                    pySide.put("k" + i, i);
                    assertEquals(i, javaSide.get("k" + i));
                    javaSide.put("k" + i, -i);
                    assertEquals(-i, pySide.get("k" + i));
                }
                Queue<Object> q = py.queue();
                q.put("x");
                assertEquals("x", q.take());
                pySide.close();
            }
            javaSide.close();
        }
    }

    // ------------------------------------------------------------------ patterns and hostile input

    /** Threads of a Java client on CPython's protocol take turns through one lock: each thread's connection is its own caller. */
    @Test
    void threadsCountUnderAManagerLockInCPythonsProtocol() throws Exception {
        try (PythonServer server = PythonServer.start();
             SyncManager m = Multiprocessing.pythonManager(server.address(), KEY)) {
            m.connect();
            DictProxy<String, Integer> d = m.dict(Map.of("n", 0));
            Lock lock = m.lock();
            int threads = 3, rounds = 150;
            List<Thread> ts = new java.util.ArrayList<>();
            java.util.concurrent.atomic.AtomicReference<Throwable> failed = new java.util.concurrent.atomic.AtomicReference<>();
            for (int t = 0; t < threads; t++) {
                ts.add(Thread.ofPlatform().start(() -> {
                    try {
                        for (int i = 0; i < rounds; i++) {
                            lock.lock();
                            try {
                                d.put("n", d.get("n") + 1); // a read and a write: safe only under the lock
                            } finally {
                                lock.unlock();
                            }
                        }
                    } catch (Throwable e) {
                        failed.compareAndSet(null, e);
                    }
                }));
            }
            for (Thread t : ts) t.join(io.multiprocessing4j.testsupport.Await.HANG.toMillis());
            assertNull(failed.get());
            assertEquals(threads * rounds, d.get("n"));
        }
    }

    /** A request whose argument is a pickled call of os.system: the Java server keeps it as data and runs nothing. */
    @Test
    void aHostileRequestRunsNothingOnAJavaServer(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path marker = tmp.resolve("ran");
        String hostile = """
                import os, pickle, sys
                class Evil:
                    def __reduce__(self):
                        return (os.system, ('touch ' + sys.argv[1],))
                sys.stdout.write(pickle.dumps((None, 'create', ('dict', {'x': Evil()}), {}), protocol=2).hex())
                """;
        Process p = new ProcessBuilder("python3", "-c", hostile, marker.toString()).start();
        byte[] request = HexFormat.of().parseHex(new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip());
        assertEquals(0, p.waitFor());
        try (Context ctx = Multiprocessing.getContext("spawn"); SyncManager m = javaServer(ctx).start()) {
            try (io.multiprocessing4j.connection.Connection c = io.multiprocessing4j.connection.Client.connect(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), port(m.address())), KEY)) {
                c.sendBytes(request);
                List<?> reply = (List<?>) io.multiprocessing4j.serial.PickleCodec.standard().decode(c.recvBytes());
                assertEquals("#RETURN", reply.get(0)); // a dict whose value is the call, as data
            }
            assertFalse(java.nio.file.Files.exists(marker), "the pickled call ran");
            assertEquals(1, m.numberOfObjects());
        }
    }
}
