package io.multiprocessing4j.managers;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.Multiprocessing;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** One started {@link SyncManager} (its server a spawned JVM) for a test class's tests, shut down after them. */
abstract class ManagerFixture {
    static Context ctx;
    static SyncManager m;

    @BeforeAll
    static void startManager() throws Exception {
        ctx = Multiprocessing.getContext("spawn");
        m = ctx.manager();
    }

    @AfterAll
    static void stopManager() {
        if (m != null) m.close();
        if (ctx != null) ctx.close();
    }
}
