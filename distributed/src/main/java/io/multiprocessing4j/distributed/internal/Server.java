package io.multiprocessing4j.distributed.internal;

import io.multiprocessing4j.distributed.DistributedOptions;
import io.multiprocessing4j.distributed.ServerAuthenticationException;
import io.multiprocessing4j.distributed.ServerUnavailableException;
import org.redisson.Redisson;
import org.redisson.api.RFuture;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.RedisAuthRequiredException;
import org.redisson.client.RedisConnectionException;
import org.redisson.client.RedisException;
import org.redisson.client.RedisLoadingException;
import org.redisson.client.RedisNodeNotFoundException;
import org.redisson.client.RedisReconnectedException;
import org.redisson.client.RedisResponseTimeoutException;
import org.redisson.client.RedisRetryException;
import org.redisson.client.RedisTimeoutException;
import org.redisson.client.RedisWrongPasswordException;
import org.redisson.client.codec.ByteArrayCodec;
import org.redisson.config.Config;
import org.redisson.config.DelayStrategy;
import org.redisson.config.SingleServerConfig;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One connection to the server (a Redisson client) and the way every object talks to it:
 * Lua scripts whose arguments are byte strings, each call bounded by the context's timeout.
 *
 * <p>A call waits for its reply without regard to interrupts (an interrupt while a script
 * that takes a lock is on the wire would otherwise lose the lock), and re-asserts the
 * interrupt status afterwards; waiting between calls is where interrupts are seen
 * ({@link Signals}). Every failure to reach the server becomes a
 * {@link ServerUnavailableException}.
 */
public final class Server implements AutoCloseable {
    /**
     * How long a caller spins for a reply before it parks: a parked thread's wake-up by the
     * client's I/O thread costs about as much as a round trip to a server on this machine.
     * None on one CPU, where the spin would hold back the thread it waits for.
     */
    private static final long SPIN_NANOS = Runtime.getRuntime().availableProcessors() > 1
            ? Long.getLong("mp4j.distributed.spinNanos", 200_000L) : 0L;
    private static final int SLOW_REPLIES = 8, PROBE_EVERY = 64;
    private final DistributedOptions options;
    private final RedissonClient client;
    private final RScript script;
    private int slowReplies; // in a row, up to SLOW_REPLIES: see spinFor
    private int sinceProbe;

    private Server(DistributedOptions options, RedissonClient client) {
        this.options = options;
        this.client = client;
        this.script = client.getScript(ByteArrayCodec.INSTANCE);
    }

    /** Connects; fails with {@link ServerUnavailableException} when the server does not answer or refuses the credentials. */
    public static Server connect(DistributedOptions options) {
        Config config = new Config();
        config.setCodec(new CoreCodec());
        config.setUseScriptCache(true); // EVALSHA: the scripts travel once per server (again after a restart)
        config.setThreads(2);
        config.setNettyThreads(4);
        int timeout = (int) options.timeout().toMillis();
        SingleServerConfig s = config.useSingleServer()
                .setAddress(options.address())
                .setConnectionMinimumIdleSize(1)
                .setConnectionPoolSize(16)
                .setSubscriptionConnectionMinimumIdleSize(1)
                .setSubscriptionConnectionPoolSize(8)
                .setConnectTimeout(Math.min(timeout, 2000))
                .setTimeout(timeout)
                .setSubscriptionTimeout(timeout)
                .setRetryAttempts(1)
                .setRetryDelay(constant(Math.min(timeout / 4, 500)))
                .setReconnectionDelay(constant(200))
                .setPingConnectionInterval(Math.min(timeout, 1000));
        // Redisson 4 takes credentials and TLS settings on the Config (the per-server setters are deprecated)
        if (options.username() != null) config.setUsername(options.username());
        if (options.password() != null) config.setPassword(options.password());
        if (options.trustStore() != null) {
            try {
                config.setSslTruststore(options.trustStore().toUri().toURL());
            } catch (java.net.MalformedURLException e) {
                throw new IllegalArgumentException(e);
            }
            if (options.trustStorePassword() != null) config.setSslTruststorePassword(options.trustStorePassword());
        }
        RedissonClient client = null;
        try {
            client = Redisson.create(config);
            Server server = new Server(options, client);
            server.eval("return {1}", List.of());
            return server;
        } catch (RuntimeException e) {
            if (client != null) client.shutdown(0, 2, TimeUnit.SECONDS);
            throw classify(options, e);
        }
    }

    /** What a failure to connect becomes: the credentials refused, the server not answering, or (a bug, a bad option) itself. */
    private static RuntimeException classify(DistributedOptions options, RuntimeException e) {
        if (e instanceof ServerUnavailableException) return e;
        if (isAuthFailure(e)) return new ServerAuthenticationException(options.address() + " refused the credentials: " + e.getMessage(), e);
        if (e instanceof RedisException) return new ServerUnavailableException("no answer from " + options.address() + ": " + e.getMessage(), e);
        return e;
    }

    private static boolean isAuthFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RedisWrongPasswordException || t instanceof RedisAuthRequiredException) return true;
            String m = t.getMessage();
            if (m != null && (m.contains("WRONGPASS") || m.contains("NOAUTH") || m.contains("invalid password"))) return true;
        }
        return false;
    }

    private static DelayStrategy constant(long millis) {
        Duration d = Duration.ofMillis(millis);
        return attempt -> d;
    }

    public DistributedOptions options() { return options; }

    public RedissonClient client() { return client; }

    /**
     * Runs {@code lua} with {@code keys} and {@code args} (each a {@code byte[]}, a
     * {@code String} or a number) and returns its reply: a {@code Long}, a {@code byte[]},
     * a {@code List} of those, or null.
     */
    public Object eval(String lua, List<String> keys, Object... args) {
        byte[][] a = new byte[args.length][];
        for (int i = 0; i < args.length; i++) a[i] = bytes(args[i]);
        List<Object> k = new ArrayList<>(keys);
        RFuture<Object> f = script.evalAsync(RScript.Mode.READ_WRITE, lua, RScript.ReturnType.LIST, k, (Object[]) a);
        return await(f.toCompletableFuture());
    }

    static byte[] bytes(Object o) {
        if (o instanceof byte[] b) return b;
        if (o instanceof String s) return s.getBytes(StandardCharsets.UTF_8);
        if (o instanceof Number || o instanceof Boolean) return o.toString().getBytes(StandardCharsets.US_ASCII);
        throw new IllegalArgumentException("not a script argument: " + o);
    }

    /** Waits for {@code f} at most the timeout, ignoring interrupts while it waits and re-asserting them after. */
    <T> T await(CompletableFuture<T> f) {
        long deadline = System.nanoTime() + options.timeout().toNanos() + TimeUnit.MILLISECONDS.toNanos(250);
        spinFor(f);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (TimeoutException e) {
                    throw unavailable(e);
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof RedisException re && !isConnectionFailure(re)) {
                        throw new IllegalStateException("the server refused a call: " + re.getMessage(), re);
                    }
                    throw unavailable(c);
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /**
     * Spins until {@code f} is done, at most {@link #SPIN_NANOS}, while replies come that
     * fast; {@value #SLOW_REPLIES} slower ones in a row turn the spin off (a server farther
     * away), and then every {@value #PROBE_EVERY}th call tries again. Threads share the heuristic without
     * synchronization.
     */
    private void spinFor(CompletableFuture<?> f) {
        if (SPIN_NANOS == 0 || !(slowReplies < SLOW_REPLIES || ++sinceProbe % PROBE_EVERY == 0)) return;
        long start = System.nanoTime();
        while (!f.isDone() && System.nanoTime() - start < SPIN_NANOS) Thread.onSpinWait();
        slowReplies = f.isDone() ? 0 : Math.min(SLOW_REPLIES, slowReplies + 1);
    }

    /** Whether {@code e} says the server could not be reached or did not answer (not that it refused the call). */
    private static boolean isConnectionFailure(RedisException e) {
        return e instanceof RedisConnectionException || e instanceof RedisTimeoutException
                || e instanceof RedisResponseTimeoutException || e instanceof RedisRetryException
                || e instanceof RedisReconnectedException || e instanceof RedisLoadingException
                || e instanceof RedisNodeNotFoundException || e instanceof RedisAuthRequiredException
                || e instanceof RedisWrongPasswordException || e.getCause() instanceof java.io.IOException;
    }

    ServerUnavailableException unavailable(Throwable cause) {
        if (cause != null && isAuthFailure(cause))
            return new ServerAuthenticationException(options.address() + " refused the credentials", cause);
        return new ServerUnavailableException("no answer from " + options.address() + " within " + options.timeout()
                + (cause != null && cause.getMessage() != null ? ": " + cause.getMessage() : ""), cause);
    }

    /** A reply as a long (a Lua number or a number in a string). */
    public static long asLong(Object reply) {
        if (reply instanceof Long l) return l;
        if (reply instanceof byte[] b) return Long.parseLong(new String(b, StandardCharsets.US_ASCII));
        if (reply instanceof List<?> l && l.size() == 1) return asLong(l.get(0));
        throw new IllegalStateException("unexpected reply " + (reply instanceof Object[] o ? Arrays.toString(o) : reply));
    }

    @Override
    public void close() {
        client.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
