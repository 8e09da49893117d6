package io.multiprocessing4j.managers;

import io.multiprocessing4j.connection.AuthenticationException;
import io.multiprocessing4j.Context;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.connection.Client;
import io.multiprocessing4j.connection.Connection;
import io.multiprocessing4j.internal.managers.Addresses;
import io.multiprocessing4j.testsupport.Children;
import io.multiprocessing4j.testsupport.Jvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.EOFException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Managers served on TCP and Unix sockets, used by unrelated JVMs by address and key; wrong keys and garbage. */
class RemoteManagerTest {
    static final byte[] KEY = "remote-secret".getBytes(StandardCharsets.UTF_8);
    static final Map<String, Object> SHARED = new LinkedHashMap<>(); // in the server's JVM

    static BaseManager serverSide(Context ctx, java.net.SocketAddress address) {
        return (ctx != null ? ctx.baseManager(address, KEY) : Multiprocessing.baseManager(address, KEY)).register("shared", a -> SHARED, DictProxy.class);
    }

    @Test
    void anUnrelatedJvmUsesAManagerOnTcp(@TempDir Path tmp) throws Exception {
        try (Context ctx = Multiprocessing.getContext("spawn");
             BaseManager m = serverSide(ctx, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).start()) {
            assertTrue(m.address().startsWith("tcp:127.0.0.1:"), m.address());
            runClient(tmp, m.address(), KEY, "done [remote, count]");
            runClient(tmp, m.address(), KEY, "done [remote, count]");
            @SuppressWarnings("unchecked") DictProxy<String, Object> d = (DictProxy<String, Object>) m.create("shared");
            assertEquals(2, d.get("count"));
            d.close();
        }
    }

    @Test
    void anUnrelatedJvmUsesAServerOnAUnixSocketInThisJvm(@TempDir Path tmp) throws Exception {
        ManagerServer server = serverSide(null, UnixDomainSocketAddress.of(tmp.resolve("mgr.sock"))).getServer();
        Thread serving = Thread.ofPlatform().start(() -> {
            try {
                server.serveForever();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        try {
            assertTrue(io.multiprocessing4j.testsupport.Await.until(() -> server.address() != null, io.multiprocessing4j.testsupport.Await.HANG));
            assertEquals("unix:" + tmp.resolve("mgr.sock"), server.address());
            runClient(tmp, server.address(), KEY, "done [remote, count]");
            runClient(tmp, server.address(), "wrong".getBytes(), "refused io.multiprocessing4j.connection.AuthenticationException");
            assertEquals(0, server.numberOfObjects()); // the client's proxies went with it
        } finally {
            server.shutdown();
            serving.join(io.multiprocessing4j.testsupport.Await.HANG.toMillis());
        }
        assertFalse(serving.isAlive());
    }

    @Test
    void socketChannelsWorkAsRemoteClientsUseThem(@TempDir Path tmp) throws Exception {
        try (Context ctx = Multiprocessing.getContext("spawn");
             BaseManager m = serverSide(ctx, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).start()) {
            try (Jvm client = Jvm.start(RemoteClient.class, tmp.resolve("err.txt"), java.util.List.of("-Dmp4j.manager.sockets=true"),
                    m.address(), HexFormat.of().formatHex(KEY))) {
                assertEquals(" [remote, count]", client.awaitLine("done", io.multiprocessing4j.testsupport.Await.HANG));
                assertEquals(0, client.awaitExit(io.multiprocessing4j.testsupport.Await.HANG));
            }
        }
    }

    private static void runClient(Path tmp, String address, byte[] key, String expect) throws Exception {
        try (Jvm client = Jvm.start(RemoteClient.class, tmp.resolve("err.txt"), address, HexFormat.of().formatHex(key))) {
            String first = expect.split(" ")[0];
            assertEquals(expect.substring(first.length()), client.awaitLine(first, io.multiprocessing4j.testsupport.Await.HANG));
            assertEquals(0, client.awaitExit(io.multiprocessing4j.testsupport.Await.HANG), client.stderr());
        }
    }

    @Test
    void aWrongKeyIsRefusedAndTheServerGoesOn() throws Exception {
        try (Context ctx = Multiprocessing.getContext("spawn");
             BaseManager m = serverSide(ctx, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).start()) {
            BaseManager wrong = Multiprocessing.baseManager(Addresses.parse(m.address()), "nope".getBytes());
            assertThrows(AuthenticationException.class, wrong::connect);
            @SuppressWarnings("unchecked") DictProxy<String, Object> d = (DictProxy<String, Object>) m.create("shared");
            d.put("still", "serving");
            d.close();
        }
    }

    @Test
    void anEmptyKeyOnANonLoopbackAddressIsRefused() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Multiprocessing.baseManager(new InetSocketAddress("0.0.0.0", 0), new byte[0]).getServer());
        assertTrue(e.getMessage().contains("empty authkey"), e.getMessage());
        try (Context ctx = Multiprocessing.getContext("spawn")) {
            BaseManager m = ctx.baseManager(new InetSocketAddress("0.0.0.0", 0), new byte[0]);
            io.multiprocessing4j.connection.ProcessError p = assertThrows(io.multiprocessing4j.connection.ProcessError.class, m::start);
            assertTrue(p.getMessage().contains("empty authkey"), p.getMessage());
            m.close();
        }
        // on loopback an empty key is allowed, as in Python
        ManagerServer s = Multiprocessing.baseManager(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), new byte[0]).getServer();
        s.shutdown();
    }

    /** Reads the challenge, then expects the server to close (end of stream or reset). */
    private static boolean droppedAfterChallenge(Socket raw) throws java.io.IOException {
        try {
            while (raw.getInputStream().read(new byte[4096]) >= 0) { /* the challenge */ }
            return true;
        } catch (java.net.SocketException reset) {
            return true;
        }
    }

    @Test
    void garbageBeforeOrAfterTheHandshakeIsDroppedAndTheServerGoesOn() throws Exception {
        try (Context ctx = Multiprocessing.getContext("spawn");
             BaseManager m = serverSide(ctx, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).start()) {
            InetSocketAddress a = (InetSocketAddress) Addresses.parse(m.address());
            try (Socket raw = new Socket(a.getAddress(), a.getPort())) { // before: not even a frame
                raw.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes());
                raw.getOutputStream().flush();
                raw.setSoTimeout((int) io.multiprocessing4j.testsupport.Await.HANG.toMillis());
                assertTrue(droppedAfterChallenge(raw));
            }
            try (Connection c = Client.connect(a, KEY)) { // after: a frame that is no request
                c.sendBytes(new byte[] {1, 2, 3, 4, 5});
                assertThrows(EOFException.class, c::recvBytes);
            }
            @SuppressWarnings("unchecked") DictProxy<String, Object> d = (DictProxy<String, Object>) m.create("shared");
            d.put("still", "serving");
            assertEquals("serving", d.get("still"));
            d.close();
        }
    }
}
