/**
 * The library's API on a Redis-protocol server (Valkey, or Redis), through Redisson, for
 * JVMs on more than one machine: {@link io.multiprocessing4j.distributed.Distributed#context}
 * gives a {@link io.multiprocessing4j.distributed.DistributedContext} whose factories return
 * the same types as a local context's ({@code sync.Lock}, {@code sync.Condition},
 * {@code queues.JoinableQueue}, {@code sharedctypes.Value}, {@code managers.DictProxy}, ...),
 * as named objects on the server.
 *
 * <p>What differs from one machine: every call is a round trip to the server (a Lua script,
 * atomic there); a holder is dead when its context stops renewing its lease, not when its
 * pid is gone; a server that goes away fails calls with
 * {@link io.multiprocessing4j.distributed.ServerUnavailableException} within the timeout;
 * values are encoded with core's default codec (Redisson's Kryo is not used).
 *
 * <p>Needs only a standalone server (or a primary with replicas): the scripts touch keys
 * they compute (liveness keys, receipts), which a Redis Cluster would refuse.
 */
package io.multiprocessing4j.distributed;
