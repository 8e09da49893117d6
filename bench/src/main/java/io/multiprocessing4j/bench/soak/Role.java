package io.multiprocessing4j.bench.soak;

/** What a process of the soak does; the killer picks among all of them. */
enum Role {
    QUEUE_PRODUCER, QUEUE_CONSUMER, JOINABLE_PRODUCER, JOINABLE_CONSUMER, PIPE_PRODUCER, PIPE_CONSUMER,
    LOCKER, TURN_TAKER, BARRIER_PARTY, POOL_WORKER, PARENT;

    String label() { return name().toLowerCase(java.util.Locale.ROOT); }

    boolean producer() { return this == QUEUE_PRODUCER || this == JOINABLE_PRODUCER || this == PIPE_PRODUCER; }

    boolean consumer() { return this == QUEUE_CONSUMER || this == JOINABLE_CONSUMER || this == PIPE_CONSUMER; }
}
