package io.multiprocessing4j.distributed;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.time.Duration;

/** A server and a context on it for every test of a class (a short lease, so takeovers come soon). */
abstract class ServerFixture {
    static RedisServer server;
    static DistributedContext ctx;

    @BeforeAll
    static void startServer() throws Exception {
        server = RedisServer.start();
        ctx = Distributed.context(DistributedOptions.builder(server.address()).lease(Duration.ofSeconds(2)).build());
    }

    @AfterAll
    static void stopServer() throws Exception {
        try {
            if (ctx != null) ctx.close();
        } finally {
            ctx = null;
            if (server != null) server.close();
            server = null;
        }
    }
}
