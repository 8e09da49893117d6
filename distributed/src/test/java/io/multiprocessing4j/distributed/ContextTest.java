package io.multiprocessing4j.distributed;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
