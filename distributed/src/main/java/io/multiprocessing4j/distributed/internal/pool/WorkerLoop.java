package io.multiprocessing4j.distributed.internal.pool;

import io.multiprocessing4j.connection.ProcessError;
import io.multiprocessing4j.distributed.internal.Server;
import io.multiprocessing4j.function.SerializableFunction;
import io.multiprocessing4j.function.StarFunction;
import io.multiprocessing4j.serial.Codec;
import org.redisson.api.RBlockingQueue;
import org.redisson.client.codec.ByteArrayCodec;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One worker of a distributed pool, in this JVM: it takes one task at a time from the pool's
 * queue into its own processing list ({@link PoolScripts}), runs it, and hands the result back
 * while taking the next task in the same call. A daemon thread renews its liveness key three
 * times per lease and reaps dead workers. A server that goes away is waited out: a result is
 * sent again until the server takes it (or the lease ran out and the reaper took the task, in
 * which case the result is dropped on the server).
 *
 * <p>{@link #stop()} ends the loop after the task at hand; {@link #leave()} gives back what the
 * worker holds and removes it from the pool.
 */
public final class WorkerLoop implements Runnable {
    /** How long a worker asked to stop may take to finish its task before it gives the task back. */
    public static final long GRACE_MILLIS = 10_000;
    private static final long RETRY_MILLIS = 500;
    private static final int FUNCTIONS_KEPT = 32;

    private final Server server;
    private final String prefix;
    private final String id = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    private final String info;
    private final long leaseMillis;
    private final Codec codec = Codec.defaultCodec();
    private final RBlockingQueue<byte[]> tasks;
    private final ScheduledExecutorService renewer;
    private final Map<String, Object> functions = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Object> e) { return size() > FUNCTIONS_KEPT; }
    };
    private volatile boolean stopping;

    /** A worker of pool {@code pool} on {@code server}, alive for {@code leaseMillis} after each renewal; registers it at once. */
    public WorkerLoop(Server server, String pool, long leaseMillis) {
        this.server = server;
        this.prefix = PoolClient.prefix(pool);
        this.leaseMillis = leaseMillis;
        this.info = host() + "|" + ProcessHandle.current().pid();
        this.tasks = server.client().getBlockingQueue(prefix + "tasks", ByteArrayCodec.INSTANCE);
        renew();
        this.renewer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("mp4j-worker-lease").daemon(true).unstarted(r));
        long period = Math.max(1, leaseMillis / 3);
        renewer.scheduleWithFixedDelay(this::renewAndReap, period, period, TimeUnit.MILLISECONDS);
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName().replace('|', '_');
        } catch (Exception e) {
            return "unknown-host";
        }
    }

    /** This worker's id on the server. */
    public String id() { return id; }

    private void renew() {
        server.eval(PoolScripts.WORKER_RENEW, List.of(), prefix, id, leaseMillis, info);
    }

    private void renewAndReap() {
        try {
            renew();
            server.eval(PoolScripts.REAP, List.of(), prefix);
        } catch (RuntimeException e) {
            // the server is away: the next round tries again; meanwhile the lease may run out
        }
    }

    /** Ends the loop after the task at hand. */
    public void stop() { stopping = true; }

    /** Stops renewing and leaves the pool: a task still held goes back to the queue. */
    public void leave() {
        stopping = true;
        renewer.shutdownNow();
        try {
            server.eval(PoolScripts.WORKER_LEAVE, List.of(), prefix, id);
        } catch (RuntimeException e) {
            // the lease runs out and the reaper fails or requeues what this worker held
        }
    }

    @Override
    public void run() {
        byte[] task = null;
        while (!stopping) {
            try {
                if (task == null) {
                    task = takeOrWait();
                    continue;
                }
                TaskWire.TaskHeader h = TaskWire.taskHeader(task);
                byte[] result = run(task, h);
                task = finish(h, result);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** A task, waiting for one up to a second on the server; null when none came. */
    private byte[] takeOrWait() throws InterruptedException {
        try {
            byte[] t = first(server.eval(PoolScripts.TAKE_NOW, List.of(), prefix, id));
            if (t != null) return t;
            // waits for the queue; what it moves into proc:W is vetted and handed out by TAKE_NOW
            Object moved = tasks.pollLastAndOfferFirstToAsync(prefix + "proc:" + id, 1, TimeUnit.SECONDS).toCompletableFuture()
                    .get(1000 + server.options().timeout().toMillis(), TimeUnit.MILLISECONDS);
            return moved == null ? null : first(server.eval(PoolScripts.TAKE_NOW, List.of(), prefix, id));
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) { // the server is away
            Thread.sleep(RETRY_MILLIS);
            return null;
        }
    }

    /** Hands {@code result} back and takes the next task (null: none now), retrying while the server is away. */
    private byte[] finish(TaskWire.TaskHeader h, byte[] result) throws InterruptedException {
        String head = h.client() + "|" + h.job() + "|" + h.seq() + "|";
        while (true) {
            try {
                return first(server.eval(PoolScripts.FINISH, List.of(), prefix, id, h.client(), result, head));
            } catch (RuntimeException e) {
                Thread.sleep(RETRY_MILLIS);
            }
        }
    }

    private static byte[] first(Object reply) {
        return reply instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof byte[] b ? b : null;
    }

    /** Runs {@code task}: its result message, never an exception. */
    private byte[] run(byte[] task, TaskWire.TaskHeader h) {
        try {
            TaskWire.Body body = TaskWire.body(task, h.bodyStart());
            Object fn = function(h, body.fn());
            Object[] items = TaskWire.readItems(task, body.itemsStart(), codec);
            Object[] out = new Object[items.length];
            for (int i = 0; i < items.length; i++) out[i] = apply(body.kind(), fn, items[i]);
            return TaskWire.result(h.job(), h.seq(), TaskWire.OK, TaskWire.items(out, codec));
        } catch (Throwable t) {
            return TaskWire.result(h.job(), h.seq(), TaskWire.FAILED, TaskWire.failure(t, codec));
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object apply(byte kind, Object fn, Object item) throws Exception {
        return switch (kind) {
            case TaskWire.CALL -> ((Callable<?>) fn).call();
            case TaskWire.FUNCTION -> ((SerializableFunction) fn).apply(item);
            case TaskWire.STAR -> ((StarFunction<?>) fn).apply((Object[]) item);
            default -> throw new ProcessError("unknown task kind " + kind);
        };
    }

    /** The job's function, decoded once per job while it is among the last few this worker met. */
    private Object function(TaskWire.TaskHeader h, byte[] fnBytes) throws ProcessError {
        String key = h.client() + "|" + h.job();
        Object fn = functions.get(key);
        if (fn != null) return fn;
        try {
            fn = codec.decode(fnBytes);
        } catch (Exception | LinkageError e) {
            throw new ProcessError("pool worker " + ProcessHandle.current().pid() + " on " + info.substring(0, info.indexOf('|'))
                    + " cannot decode the task (are its classes on the worker's class path? bin/worker --classpath): " + e, e);
        }
        functions.put(key, fn);
        return fn;
    }
}
