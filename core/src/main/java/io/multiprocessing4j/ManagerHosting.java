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
     * Each pool of a manager's server gets a context of its own, in the server's JVM, closed
     * when the server terminates the pool, so that nothing made for it (its shared memory, a
     * warm context's spares) outlives it.
     */
    private record ServerPools(String method) implements PoolMaker {
        @Override
        public Made make(int processes, SerializableRunnable initializer, int maxTasksPerChild) {
            Context c = Multiprocessing.getContext(method);
            try {
                return new Made(c.pool(processes, initializer, maxTasksPerChild), c::close);
            } catch (RuntimeException | Error e) {
                c.close();
                throw e;
            }
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
