package io.multiprocessing4j.distributed;

import io.multiprocessing4j.queues.Queue;
import io.multiprocessing4j.sync.Lock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A server that goes away fails blocked and later calls clearly; when it comes back, new calls work. */
class ServerFailureTest {

    @Test
    void blockedAndLaterCallsFailWhileTheServerIsAwayAndWorkWhenItIsBack() throws Exception {
        try (RedisServer server = RedisServer.start();
             DistributedContext ctx = Distributed.context(DistributedOptions.builder(server.address())
                     .timeout(Duration.ofSeconds(1)).lease(Duration.ofSeconds(2)).build())) {
            Lock lock = ctx.lock("held");
            lock.acquire();
            Queue<Object> q = ctx.queue("empty");
            CompletableFuture<Object> waitingForLock = CompletableFuture.supplyAsync(() -> call(() -> {
                lock.acquire(); // not reentrant: waits for ever while the server lives
                return "acquired";
            }));
            CompletableFuture<Object> waitingForItem = CompletableFuture.supplyAsync(() -> call(q::get));
            CompletableFuture<Object> waitingBoundedly = CompletableFuture.supplyAsync(
                    () -> call(() -> q.get(true, Duration.ofMinutes(10))));

            server.kill();

            for (CompletableFuture<Object> f : java.util.List.of(waitingForLock, waitingForItem, waitingBoundedly)) {
                ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(60, TimeUnit.SECONDS));
                assertInstanceOf(ServerUnavailableException.class, e.getCause(), () -> String.valueOf(e.getCause()));
                assertTrue(e.getCause().getMessage().contains(server.address()), e.getCause().getMessage());
            }
            assertThrows(ServerUnavailableException.class, ctx::ping);
            assertThrows(ServerUnavailableException.class, () -> q.put("x"));

            server.restart(); // empty: a server without persistence forgot every object

            assertTrue(ctx.ping());
            assertTrue(lock.acquire(true, Duration.ofSeconds(30)));
            q.put("after");
            assertEquals("after", q.get(true, Duration.ofSeconds(30)));
            lock.release();
        }
    }

    private interface Call {
        Object call() throws Exception;
    }

    private static Object call(Call c) {
        try {
            return c.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }
}
