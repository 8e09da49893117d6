package io.multiprocessing4j.managers;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.testsupport.Await;
import io.multiprocessing4j.testsupport.Children;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** Failures and reference counting: a killed server, a killed client, proxies closed or collected. */
class ManagerLifecycleTest {
    static final Duration HANG = io.multiprocessing4j.testsupport.Await.HANG;
    static Context ctx;

    @BeforeAll
    static void start() { ctx = Multiprocessing.getContext("spawn"); }

    @AfterAll
    static void stop() { ctx.close(); }

    static Integer sleepOnServer(String k, Integer v) {
        try {
            Thread.sleep(600_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return v;
    }

    @Test
    void aKilledServerFailsWaitingAndLaterCalls() throws Exception {
        SyncManager m = ctx.manager();
        try {
            DictProxy<String, Integer> d = m.dict();
            d.put("k", 1);
            CompletableFuture<Integer> waiting = CompletableFuture.supplyAsync(() -> d.compute("k", ManagerLifecycleTest::sleepOnServer));
            assertTrue(Await.until(() -> m.debugInfo().contains("session"), HANG)); // the call is under way
            Thread.sleep(200);
            m.process().kill();
            ExecutionException e = assertThrows(ExecutionException.class, () -> waiting.get(HANG.toSeconds(), TimeUnit.SECONDS));
            ManagerUnreachableException u = assertInstanceOf(ManagerUnreachableException.class, e.getCause());
            assertTrue(u.getMessage().contains(m.address()), u.getMessage());
            assertEquals(m.address(), u.address());
            ManagerUnreachableException later = assertThrows(ManagerUnreachableException.class, () -> d.get("k"));
            assertTrue(later.getMessage().contains(m.address()), later.getMessage());
            assertThrows(ManagerUnreachableException.class, m::dict);
        } finally {
            m.close();
        }
    }

    @Test
    void shutdownFailsEveryProxyWithTheSameException() throws Exception {
        SyncManager m = ctx.manager();
        ListProxy<Integer> l = m.list();
        l.add(1);
        m.shutdown();
        assertThrows(ManagerUnreachableException.class, l::size);
        m.close(); // idempotent
        assertEquals(0, Children.joinCode(m.process()));
    }

    static void holdAndWait(DictProxy<String, Object> signals, DictProxy<String, Integer> held) {
        held.put("child", 1);
        signals.put("ready", true);
        held.compute("child", ManagerLifecycleTest::sleepOnServer); // killed in the middle of this call
    }

    @Test
    void aClientKilledMidCallCostsNothing() throws Exception {
        try (SyncManager m = ctx.manager()) {
            DictProxy<String, Object> signals = m.dict();
            DictProxy<String, Integer> held = m.dict();
            int before = m.numberOfObjects();
            BaseProcess p = Children.start(ctx.process(ManagerLifecycleTest::holdAndWait, signals, held));
            try {
                assertTrue(Await.until(() -> Boolean.TRUE.equals(signals.get("ready")), HANG));
                held.close(); // the child's is now the only reference
                assertEquals(before, m.numberOfObjects());
                p.kill();
                assertEquals(-9, Children.joinCode(p));
            } finally {
                Children.reap(p);
            }
            // the server goes on, and the dead client's reference is gone with its connection
            assertTrue(Await.until(() -> m.numberOfObjects() == before - 1, HANG), m.debugInfo());
            signals.put("after", 2);
            assertEquals(2, signals.get("after"));
            signals.close();
            assertEquals(before - 2, m.numberOfObjects());
        }
    }

    @Test
    void closingOrCollectingProxiesFreesObjects() throws Exception {
        try (SyncManager m = ctx.manager()) {
            int before = m.numberOfObjects();
            DictProxy<String, Integer> d = m.dict();
            ListProxy<Integer> l = m.list();
            assertEquals(before + 2, m.numberOfObjects());
            d.close();
            d.close();
            assertThrows(IllegalStateException.class, d::size);
            assertEquals(before + 1, m.numberOfObjects());
            l = null;
            assertTrue(Await.until(() -> {
                System.gc();
                return m.numberOfObjects() == before;
            }, HANG), m.debugInfo());
        }
    }

    @Test
    void aProxyPassedToAChildKeepsItsOwnReference() throws Exception {
        try (SyncManager m = ctx.manager()) {
            DictProxy<String, Integer> d = m.dict();
            BaseProcess p = Children.start(ctx.process(ManagerLifecycleTest::putOne, d));
            assertEquals(0, Children.joinCode(p));
            assertEquals(1, d.get("one"));
            d.close();
            assertTrue(Await.until(() -> m.numberOfObjects() == 0, HANG), m.debugInfo()); // the child's went with it
        }
    }

    static void putOne(DictProxy<String, Integer> d) { d.put("one", 1); }

    @Test
    void aThreadContextRunsTheServerInThisJvm() throws Exception {
        try (Context t = Multiprocessing.getContext("thread"); SyncManager m = t.manager()) {
            DictProxy<String, Integer> d = m.dict();
            d.put("a", 1);
            assertEquals(1, d.merge("a", 0, Integer::sum));
            m.shutdown();
            assertThrows(ManagerUnreachableException.class, () -> d.get("a"));
        }
    }
}
