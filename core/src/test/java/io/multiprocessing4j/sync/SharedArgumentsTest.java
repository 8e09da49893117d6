package io.multiprocessing4j.sync;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.sharedctypes.Array;
import io.multiprocessing4j.sharedctypes.RawValue;
import io.multiprocessing4j.sharedctypes.Value;
import org.junit.jupiter.api.Test;

import static io.multiprocessing4j.testsupport.Await.HANG;
import static io.multiprocessing4j.testsupport.Children.joinOk;
import static io.multiprocessing4j.testsupport.Children.spawn;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Synchronizers and shared values given to a spawned child as its arguments, which go to it
 * by hand (their handles), not by Java serialization: the child's views work with the
 * parent's objects for a whole protocol, turn by turn.
 */
class SharedArgumentsTest {
    private static final int ROUNDS = 2_000;

    @Test
    void aChildTakesTurnsThroughAConditionAndReportsThroughTheOthers() throws Exception {
        try (Context ctx = spawn()) {
            Lock lock = ctx.lock();
            Condition turnChanged = ctx.condition(lock);
            RawValue turn = ctx.rawValue('i', 0); // 0: the parent's turn, 1: the child's
            Array hits = ctx.array('q', 2);
            Value total = ctx.value('q', 0L);
            Barrier start = ctx.barrier(2, null, HANG);
            Semaphore reported = ctx.semaphore(0);
            Event done = ctx.event();
            BaseProcess child = ctx.process(SharedArgumentsTest::childSide,
                    lock, turnChanged, turn, hits, total, start, reported, done, ROUNDS);
            child.start();
            start.await();
            for (int r = 0; r < ROUNDS; r++) {
                lock.lock();
                try {
                    while (turn.getInt() != 0) assertTrue(turnChanged.await(HANG), "the child's turn ended in round " + r);
                    hits.setLong(0, hits.getLong(0) + 1);
                    turn.setInt(1);
                    turnChanged.signalAll();
                } finally {
                    lock.unlock();
                }
            }
            assertTrue(reported.acquire(true, HANG), "the child reported");
            assertTrue(done.await(HANG));
            joinOk(child);
            assertEquals(ROUNDS, hits.getLong(0));
            assertEquals(ROUNDS, hits.getLong(1));
            assertEquals(ROUNDS, total.getLong(), "the child's sum, under the value's own lock");
            assertEquals(0, turn.getInt(), "the child had the last turn");
        }
    }

    private static void childSide(Object[] a) throws Exception {
        Lock lock = (Lock) a[0];
        Condition turnChanged = (Condition) a[1];
        RawValue turn = (RawValue) a[2];
        Array hits = (Array) a[3];
        Value total = (Value) a[4];
        ((Barrier) a[5]).await();
        for (int r = 0, rounds = (Integer) a[8]; r < rounds; r++) {
            lock.lock();
            try {
                while (turn.getInt() != 1) {
                    if (!turnChanged.await(HANG)) throw new AssertionError("the parent's turn did not end in round " + r);
                }
                hits.setLong(1, hits.getLong(1) + 1);
                turn.setInt(0);
                turnChanged.signalAll();
            } finally {
                lock.unlock();
            }
            total.getLock().lock();
            try {
                total.setLong(total.getLong() + 1);
            } finally {
                total.getLock().unlock();
            }
        }
        ((Semaphore) a[6]).release();
        ((Event) a[7]).set();
    }
}
