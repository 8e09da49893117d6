package io.multiprocessing4j.managers;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.pool.Pool;
import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.queues.JoinableQueue;
import io.multiprocessing4j.queues.Queue;
import io.multiprocessing4j.sync.Lock;
import io.multiprocessing4j.sync.RLock;
import io.multiprocessing4j.sync.Semaphore;
import io.multiprocessing4j.testsupport.Children;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;

import static io.multiprocessing4j.testsupport.Await.HANG;
import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code register(typeid, factory, Lock.class / Queue.class / ...)}: a user's typeid hands out
 * managed locks and queues that its factory makes with {@code factoryOf}, one shared by every
 * client (Python's {@code register('get_queue', callable=lambda: queue)}) or one per call.
 */
class RegisterProxyTypeTest {
    static Context ctx;
    static BaseManager m;

    /** Lives in the server's JVM: the one queue every client of typeid {@code jobs} gets. */
    static final class Jobs {
        private static Object queue;

        static synchronized Object once(ManagedFactory make) throws Exception {
            if (queue == null) queue = make.create(0);
            return queue;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        ctx = Multiprocessing.getContext("spawn");
        m = ctx.baseManager(null, null);
        ManagedFactory queue = m.factoryOf("Queue"), lock = m.factoryOf("Lock"), rlock = m.factoryOf("RLock");
        ManagedFactory semaphore = m.factoryOf("Semaphore"), joinable = m.factoryOf("JoinableQueue"), pool = m.factoryOf("Pool");
        m.register("jobs", a -> Jobs.once(queue), Queue.class)
                .register("mutex", a -> lock.create(), Lock.class)
                .register("reentrant", a -> rlock.create(), RLock.class)
                .register("permits", a -> semaphore.create(a[0]), Semaphore.class)
                .register("tasks", a -> joinable.create(0), JoinableQueue.class)
                .register("onePool", a -> pool.create(1, null, Integer.MAX_VALUE), Pool.class)
                .register("notALock", a -> new ArrayList<>(), Lock.class)
                .register("rlockAsLock", a -> rlock.create(), Lock.class);
        m.start();
    }

    @AfterAll
    static void stop() {
        if (m != null) m.close();
        if (ctx != null) ctx.close();
    }

    @SuppressWarnings("unchecked")
    static Queue<String> jobs(BaseManager m) { return (Queue<String>) m.create("jobs"); }

    static void putFromChild(Queue<String> q) throws InterruptedException { q.put("from the child"); }

    @Test
    void aQueueTypeidHandsEveryClientTheSameManagedQueue() throws Exception {
        Queue<String> a = jobs(m), b = jobs(m);
        a.put("one");
        assertEquals("one", b.get(true, HANG));
        BaseProcess p = Children.start(ctx.process(RegisterProxyTypeTest::putFromChild, jobs(m)));
        try {
            Children.joinOk(p);
        } finally {
            Children.reap(p);
        }
        assertEquals("from the child", a.get(true, HANG));
        assertThrows(io.multiprocessing4j.queues.Empty.class, () -> b.get(true, Duration.ofMillis(50)));
    }

    @Test
    void lockAndSemaphoreTypeidsMakeOneObjectPerCall() throws Exception {
        Lock l1 = (Lock) m.create("mutex"), l2 = (Lock) m.create("mutex");
        assertTrue(l1.acquire(false, null));
        assertTrue(l2.acquire(false, null), "another lock");
        assertFalse(l1.acquire(false, null));
        l1.release();
        l2.release();
        RLock r = (RLock) m.create("reentrant");
        r.lock();
        r.lock();
        r.unlock();
        r.unlock();
        Semaphore s = (Semaphore) m.create("permits", 2);
        assertEquals(2, s.getValue());
        assertTrue(s.tryAcquire());
        assertEquals(1, s.getValue());
        @SuppressWarnings("unchecked") JoinableQueue<Integer> t = (JoinableQueue<Integer>) m.create("tasks");
        t.put(1);
        t.get();
        t.taskDone();
        t.join();
    }

    static int twice(int x) { return 2 * x; }

    @Test
    void aPoolTypeidHandsOutAPoolInTheServer() throws Exception {
        try (Pool p = (Pool) m.create("onePool")) {
            assertEquals(1, p.processes());
            assertEquals(java.util.List.of(2, 4, 6), p.map(RegisterProxyTypeTest::twice, java.util.List.of(1, 2, 3)));
        }
    }

    @Test
    void aFactoryThatReturnsTheWrongObjectIsRefusedAndTheServerGoesOn() {
        RemoteError e = assertThrows(RemoteError.class, () -> m.create("notALock"));
        assertTrue(e.getMessage().contains("java.util.ArrayList"), e.getMessage());
        assertThrows(RemoteError.class, () -> m.create("rlockAsLock"), "an RLock is not a Lock's referent");
        assertThrows(IllegalArgumentException.class, () -> ctx.baseManager(null, null).register("x", a -> "", String.class));
        assertThrows(IllegalArgumentException.class, () -> m.factoryOf("NoSuchTypeid"));
        assertNotNull(m.create("mutex"), "the server goes on");
    }

    @SuppressWarnings("unchecked")
    static <T> T cast(Object o) { return (T) o; }
}
