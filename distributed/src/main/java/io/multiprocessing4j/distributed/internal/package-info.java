/**
 * How the distributed objects work; not API.
 *
 * <ul>
 *   <li>{@code Server}: the Redisson client; every call is {@code eval(lua, keys, args)} with
 *       byte-string arguments, bounded by the context's timeout, deaf to interrupts while on
 *       the wire (so a script's effect is never lost to one), failures mapped to
 *       {@code ServerUnavailableException}; the caller spins briefly for the reply before
 *       it parks.</li>
 *   <li>{@code Home}: one per context: the server, the context id and its liveness key
 *       {@code mp4j:alive:<id>} (renewed every third of the lease), one object per kind and
 *       name, and the registry by which {@code Ref} (an object's serialized form) finds a
 *       context in the receiving JVM.</li>
 *   <li>{@code Signals} and {@code Waits}: the one waiting loop. A script that may let
 *       waiters through publishes on {@code <key>:w}; waiters try, then sleep until that
 *       channel moves or {@code Signals.POLL} passes, and try again. A queue publishes only
 *       while its waiters are counted ({@code Waits.until} with a {@code Waiters}).</li>
 *   <li>{@code LockCore} (Lock, RLock), {@code RedisSemaphore}, {@code RedisEvent},
 *       {@code RedisBarrier}, {@code RedisCondition} (from the lock and three semaphores, as
 *       CPython's), {@code RedisRawValue}/{@code RedisValue}, {@code QueueCore} (the list,
 *       and receipts that give a dead receiver's item back), {@code RedisDict},
 *       {@code RedisList}, {@code RedisNamespace}; {@code Factory} and {@code Containers}
 *       make them.</li>
 * </ul>
 *
 * Keys: {@code mp4j:<kind>:<name>} and suffixes of it. To add an object: a class whose
 * methods are scripts on its keys, waits through {@code Waits.until} on its channel, and a
 * {@code writeReplace} to a {@code Ref} that {@code Factory.attach} knows.
 */
package io.multiprocessing4j.distributed.internal;
