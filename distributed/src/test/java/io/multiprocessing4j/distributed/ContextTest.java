package io.multiprocessing4j.distributed;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContextTest {

    @Test
    void connectsAndAnswers() throws Exception {
        try (RedisServer server = RedisServer.start();
             DistributedContext ctx = Distributed.context(server.address())) {
            assertTrue(ctx.ping());
            assertEquals(server.address(), ctx.options().address());
        }
    }

    @Test
    void aContextIsAliveUntilItsJvmDiesAndItsLeaseRunsOut() throws Exception {
        try (RedisServer server = RedisServer.start();
             DistributedContext ctx = Distributed.context(server.address())) {
            assertTrue(ctx.isAlive(ctx.id()));
            String other;
            try (Peer p = Peer.start(java.util.List.of("-Dlease=1"), server.address(), "id")) {
                other = p.awaitLine("id ");
                assertTrue(ctx.isAlive(other));
                p.kill();
            }
            while (ctx.isAlive(other)) Thread.sleep(50); // the lease runs out (the test's guard bounds it)
            try (Peer p = Peer.start(server.address(), "id")) {
                String third = p.awaitLine("id ");
                assertTrue(ctx.isAlive(third));
                p.send("exit");
                p.awaitEnd();
                assertFalse(ctx.isAlive(third)); // closed: its key is deleted at once
            }
        }
    }

    @Test
    void aWrongPasswordIsRefusedClearly() throws Exception {
        try (RedisServer server = RedisServer.startWithPassword("right-secret")) {
            DistributedOptions wrong = DistributedOptions.builder(server.address()).password("wrong")
                    .timeout(Duration.ofSeconds(2)).build();
            assertThrows(ServerAuthenticationException.class, () -> Distributed.context(wrong).close());
            DistributedOptions none = DistributedOptions.builder(server.address()).timeout(Duration.ofSeconds(2)).build();
            assertThrows(ServerAuthenticationException.class, () -> Distributed.context(none).close());
            DistributedOptions right = DistributedOptions.builder(server.address()).password("right-secret").build();
            try (DistributedContext ctx = Distributed.context(right)) {
                assertTrue(ctx.ping());
            }
        }
    }

    @Test
    void noServerIsAClearFailure() {
        DistributedOptions o = DistributedOptions.builder("redis://127.0.0.1:1").timeout(Duration.ofSeconds(1)).build();
        assertThrows(ServerUnavailableException.class, () -> Distributed.context(o).close());
    }

    @Test
    void badAddressesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> DistributedOptions.builder("http://x:1"));
        assertThrows(IllegalArgumentException.class, () -> DistributedOptions.builder("redis://nohostport"));
    }
}
