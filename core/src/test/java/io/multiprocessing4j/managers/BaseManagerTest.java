package io.multiprocessing4j.managers;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.testsupport.Children;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** User types with register: exposed methods, methodToTypeid, createMethod; bad requests leave the server serving. */
class BaseManagerTest {
    static Context ctx;
    static BaseManager m;

    public static class Counter {
        private int n;

        public Counter(int start) { n = start; }

        public int increment() { return ++n; }

        public int get() { return n; }

        public void fail() throws IOException { throw new IOException("counter says no"); }

        public Counter child() { return new Counter(n * 10); }

        public Object unencodable() { return new Object(); }

        public String secret() { return "hidden"; }
    }

    public interface CounterApi {
        int increment();

        int get();

        void fail() throws IOException;
    }

    @BeforeAll
    static void start() throws Exception {
        ctx = Multiprocessing.getContext("spawn");
        m = ctx.baseManager(null, null)
                .register("Counter", a -> new Counter(a.length > 0 ? (Integer) a[0] : 0),
                        List.of("increment", "get", "fail", "child", "unencodable"), Map.of("child", "Counter"), true)
                .register("Everything", a -> new Counter(0))
                .register("Hidden", a -> new Counter(0), null, null, false)
                .register("shared", a -> SHARED, DictProxy.class);
        m.start();
    }

    static final Map<String, Integer> SHARED = new java.util.LinkedHashMap<>(); // lives in the server's JVM

    @AfterAll
    static void stop() {
        m.close();
        ctx.close();
    }

    @Test
    void exposedMethodsAreCalledOthersRefused() throws Exception {
        AutoProxy c = (AutoProxy) m.create("Counter", 5);
        assertEquals("Counter", c.typeid());
        assertEquals(6, c.call("increment"));
        assertEquals(6, c.call("get"));
        RemoteError e = assertThrows(RemoteError.class, () -> c.call("secret"));
        assertTrue(e.getMessage().contains("'secret'") && e.getMessage().contains("not exposed"), e.getMessage());
        IOException io = assertThrows(IOException.class, () -> c.call("fail"));
        assertEquals("counter says no", io.getMessage());
        assertEquals(6, c.call("get")); // the server goes on
        c.close();
    }

    @Test
    void byDefaultEveryPublicMethodIsExposed() throws Exception {
        AutoProxy c = (AutoProxy) m.create("Everything");
        assertEquals("hidden", c.call("secret"));
        assertTrue(c.exposed().containsAll(List.of("increment", "get", "secret")));
        assertFalse(c.exposed().contains("hashCode"));
        c.close();
    }

    @Test
    void anInterfaceViewCallsTheServer() throws Exception {
        AutoProxy c = (AutoProxy) m.create("Counter", 1);
        CounterApi api = c.as(CounterApi.class);
        assertEquals(2, api.increment());
        assertEquals(2, api.get());
        assertThrows(IOException.class, api::fail);
        c.close();
    }

    @Test
    void methodToTypeidReturnsAProxy() throws Exception {
        AutoProxy c = (AutoProxy) m.create("Counter", 3);
        AutoProxy child = (AutoProxy) c.call("child");
        assertEquals(30, child.call("get"));
        assertEquals(31, child.call("increment"));
        child.close();
        c.close();
    }

    @Test
    void aFactoryThatReturnsOneObjectSharesIt() throws Exception {
        @SuppressWarnings("unchecked") DictProxy<String, Integer> a = (DictProxy<String, Integer>) m.create("shared");
        @SuppressWarnings("unchecked") DictProxy<String, Integer> b = (DictProxy<String, Integer>) m.create("shared");
        a.put("x", 1);
        assertEquals(1, b.get("x"));
        a.close();
        b.close();
    }

    @Test
    void badRequestsGetClearErrorsAndTheServerGoesOn() throws Exception {
        RemoteError unknown = assertThrows(RemoteError.class, () -> m.create("Nope"));
        assertTrue(unknown.getMessage().contains("unknown typeid 'Nope'"), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> m.create("Hidden"));
        AutoProxy c = (AutoProxy) m.create("Counter");
        IllegalArgumentException arg = assertThrows(IllegalArgumentException.class, () -> c.call("increment", new Object()));
        assertTrue(arg.getMessage().contains("java.lang.Object"), arg.getMessage());
        RemoteError result = assertThrows(RemoteError.class, () -> c.call("unencodable"));
        assertTrue(result.getMessage().contains("java.lang.Object"), result.getMessage());
        RemoteError args = assertThrows(RemoteError.class, () -> c.call("increment", 1, 2));
        assertTrue(args.getMessage().contains("increment"), args.getMessage());
        assertEquals(1, c.call("increment"));
        c.close();
    }

    static void useCounter(AutoProxy c) throws Exception { c.call("increment"); }

    @Test
    void aUserProxyTravelsToAChild() throws Exception {
        AutoProxy c = (AutoProxy) m.create("Counter", 0);
        BaseProcess p = Children.start(ctx.process(BaseManagerTest::useCounter, c));
        assertEquals(0, Children.joinCode(p));
        assertEquals(1, c.call("get"));
        c.close();
    }

    @Test
    void startTwiceOrRegisterLateIsRefused() {
        assertThrows(IllegalStateException.class, () -> m.start());
        assertThrows(IllegalStateException.class, () -> m.register("Late", a -> 1));
    }
}
