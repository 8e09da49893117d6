package io.multiprocessing4j;

import io.multiprocessing4j.connection.Pipe;
import io.multiprocessing4j.function.ProcessTarget;
import io.multiprocessing4j.function.SerializableRunnable;
import io.multiprocessing4j.internal.managers.ManagerHost;
import io.multiprocessing4j.internal.managers.PoolMaker;
import io.multiprocessing4j.pool.Pool;
import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.process.StartMethod;
import io.multiprocessing4j.serial.Codec;

/**
 * Starts a manager's server with a context: the given one, or a default one made on first
 * use and closed with the manager (for {@code Multiprocessing}'s managers, which have none).
 */
final class ManagerHosting implements ManagerHost {
    private final Context given;
    private Context own;

    ManagerHosting(Context given) { this.given = given; }

    private synchronized Context ctx() {
        if (given != null) return given;
        if (own == null) own = Multiprocessing.getContext();
        return own;
    }

    @Override public BaseProcess process(ProcessTarget target, Object... args) { return ctx().process(target, args); }

    @Override public Pipe pipe() { return ctx().pipe(false); }

    @Override public boolean sameJvm() { return ctx().startMethod() == StartMethod.THREAD; }

    @Override public Codec codec() { return given != null ? given.codec() : Codec.defaultCodec(); }

    @Override
    public PoolMaker pools() { return new ServerPools((given != null ? given.startMethod() : BaseProcess.defaultStartMethod()).pythonName()); }

    /**
     * The pools of the manager servers in one JVM come from one context per start method,
     * made on first use and never closed: each pool is terminated when its managed object is
     * freed or its server shuts down, and what the context holds goes at the JVM's exit.
     */
    private record ServerPools(String method) implements PoolMaker {
        private static final java.util.Map<String, Context> CONTEXTS = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public Pool make(int processes, SerializableRunnable initializer, int maxTasksPerChild) {
            return CONTEXTS.computeIfAbsent(method, Multiprocessing::getContext).pool(processes, initializer, maxTasksPerChild);
        }
    }

    @Override
    public void close() {
        Context c;
        synchronized (this) {
            c = own;
            own = null;
        }
        if (c != null) c.close();
    }
}
