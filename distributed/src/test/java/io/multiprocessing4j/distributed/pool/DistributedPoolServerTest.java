package io.multiprocessing4j.distributed.pool;

import io.multiprocessing4j.distributed.Distributed;
import io.multiprocessing4j.distributed.DistributedContext;
import io.multiprocessing4j.distributed.DistributedOptions;
import io.multiprocessing4j.distributed.RedisServer;
import io.multiprocessing4j.distributed.ServerUnavailableException;
import io.multiprocessing4j.pool.AsyncResult;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The distributed Pool when its server goes away and comes back: calls fail clearly, none hangs, and new calls work again. */
class DistributedPoolServerTest {
    static final Duration GUARD = Duration.ofSeconds(90);

    @Test
    void aServerThatGoesAwayFailsPendingAndNewCallsAndOnceBackCallsWorkAgain() throws Exception {
        Path dir = Files.createTempDirectory("mp4j-dpool-server");
        String d = dir.toString();
        try (RedisServer server = RedisServer.start();
             DistributedContext ctx = Distributed.context(DistributedOptions.builder(server.address())
                     .lease(Duration.ofSeconds(2)).timeout(Duration.ofSeconds(1)).build());
             WorkerJvm worker = WorkerJvm.start(server.address(), "outage", 1);
             DistributedPool pool = ctx.pool("outage")) {
            assertEquals(1, pool.apply(() -> 1));
            AsyncResult<Long> pending = pool.applyAsync(() -> DistributedPoolFailureTest.markAndHold(d, "started", "go"));
            DistributedPoolFailureTest.awaitMarker(dir, "started");
            server.kill();
            Files.writeString(dir.resolve("go"), "");
            ExecutionException e = assertThrows(ExecutionException.class, () -> pending.get(GUARD));
            assertInstanceOf(ServerUnavailableException.class, e.getCause());
            assertThrows(IllegalStateException.class, () -> pool.apply(() -> 2)); // the context's failure: ServerUnavailableException or kin

            server.restart();
            assertEquals(3, pool.apply(() -> 3));
            assertEquals(java.util.List.of(2, 3, 4), pool.map(x -> x + 1, java.util.List.of(1, 2, 3)));
            assertFalse(pool.isShutdown());
        } finally {
            io.multiprocessing4j.distributed.TempDirs.remove(dir);
        }
    }

    @Test
    void aWorkerTakesTheServersPasswordFromItsEnvironmentAndAWrongOneStopsIt() throws Exception {
        try (RedisServer server = RedisServer.startWithPassword("pool-secret");
             DistributedContext ctx = Distributed.context(DistributedOptions.builder(server.address()).password("pool-secret").build());
             WorkerJvm refused = WorkerJvm.launch(server.address(), "guarded", 1, Map.of("MP4J_REDIS_PASSWORD", "wrong"))) {
            assertTrue(refused.process().waitFor(GUARD.toSeconds(), TimeUnit.SECONDS));
            assertEquals(1, refused.process().exitValue());
            assertTrue(refused.stderr().contains("refused the credentials"), refused.stderr());
            try (WorkerJvm worker = WorkerJvm.launch(server.address(), "guarded", 1, Map.of("MP4J_REDIS_PASSWORD", "pool-secret"));
                 DistributedPool pool = ctx.pool("guarded")) {
                worker.awaitServing();
                assertEquals(42, pool.apply(() -> 42));
            }
        }
    }
}
