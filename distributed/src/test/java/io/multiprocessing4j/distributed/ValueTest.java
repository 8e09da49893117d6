package io.multiprocessing4j.distributed;

import io.multiprocessing4j.sharedctypes.RawValue;
import io.multiprocessing4j.sharedctypes.Value;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A Value's atomic get/set/increment, across JVMs. */
class ValueTest extends ServerFixture {

    @Test
    void incrementsFromTwoJvmsAreNeverLost() throws Exception {
        Value v = ctx.value("hits", 'q', 0L);
        int n = 1000;
        try (Peer a = Peer.start(server.address(), "value-inc", "hits", String.valueOf(n));
             Peer b = Peer.start(server.address(), "value-inc", "hits", String.valueOf(n))) {
            a.send("go");
            b.send("go");
            for (int i = 0; i < n; i++) v.incrementAndGet();
            a.awaitLine("done");
            b.awaitLine("done");
            a.awaitEnd();
            b.awaitEnd();
        }
        assertEquals(3L * n, v.getLong());
    }

    @Test
    void accessorsFollowTheTypeCode() {
        Value i = ctx.value("int", 'i', 7);
        assertEquals(7, i.getInt());
        assertEquals(7, i.get());
        i.setLong(1L << 32 | 5); // wraps to 32 bits, as C
        assertEquals(5, i.getInt());
        i.setInt(Integer.MAX_VALUE);
        assertEquals(Integer.MIN_VALUE, i.incrementAndGet());
        assertThrows(UnsupportedOperationException.class, i::getDouble);
        assertThrows(IllegalArgumentException.class, () -> i.set(1.5));

        RawValue q = ctx.rawValue("long", 'q', Long.MAX_VALUE);
        assertEquals(Long.MAX_VALUE, q.getLong());
        assertEquals(Long.MIN_VALUE, q.incrementAndGet()); // wraps past 64 bits
        assertEquals(Long.MIN_VALUE, q.getAndAdd(2));
        assertTrue(q.compareAndSet(Long.MIN_VALUE + 2, 42));
        assertFalse(q.compareAndSet(0, 1));
        assertEquals(42L, q.get());
        assertThrows(UnsupportedOperationException.class, q::getInt);

        Value d = ctx.value("double", 'd', 0.25);
        assertEquals(0.25, d.getDouble());
        d.setDouble(1e-300);
        assertEquals(1e-300, d.getDouble());
        d.setLong(3);
        assertEquals(3.0, d.get());
        assertThrows(UnsupportedOperationException.class, d::incrementAndGet);
        assertThrows(IllegalArgumentException.class, () -> ctx.value("char", 'c', 0));
        assertThrows(UnsupportedOperationException.class, d::struct);
    }

    @Test
    void aValueIsGuardedByItsLock() throws Exception {
        Value v = ctx.value("guarded", 'q', 0L);
        v.getLock().lock();
        try {
            v.setLong(v.getLong() + 1); // the holder's accessors do not wait for itself
            assertTrue(v.getLock().isHeldByCurrentThread());
        } finally {
            v.getLock().unlock();
        }
        assertEquals(1L, v.getObj().getLong());
    }
}
