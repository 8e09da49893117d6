package io.multiprocessing4j.internal.process;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What a spare JVM of the {@code warm} start method runs while it waits for its task: the
 * library's hot paths, so that the JIT has compiled them when the task arrives. The pool
 * names the class ({@link WarmLauncher}); the spare makes one with its no-argument
 * constructor, which need not be public.
 */
public interface SpareWarmup {
    /**
     * Runs until done or until {@code stop} is set, checking it every few milliseconds; then
     * returns having released everything it made.
     *
     * @return true when it completed
     */
    boolean run(AtomicBoolean stop) throws Exception;

    /** The warm-up of class {@code className}, made with its no-argument constructor. */
    static SpareWarmup make(String className) throws ReflectiveOperationException {
        var make = Class.forName(className).asSubclass(SpareWarmup.class).getDeclaredConstructor();
        make.setAccessible(true); // it need not be public
        return make.newInstance();
    }
}
