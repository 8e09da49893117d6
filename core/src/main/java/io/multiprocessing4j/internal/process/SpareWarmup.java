package io.multiprocessing4j.internal.process;

/**
 * What a spare JVM of the {@code warm} start method runs while it waits for its task: the
 * library's hot paths, so that the JIT has compiled them when the task arrives. The pool
 * names the class ({@link WarmLauncher}); the spare makes one with its no-argument
 * constructor, which need not be public.
 */
public interface SpareWarmup {
    /**
     * Runs until done or until {@link Pace#stop} says so, asking it every few milliseconds;
     * then returns having released everything it made.
     *
     * @return true when it completed
     */
    boolean run(Pace pace) throws Exception;

    /** What a warm-up asks between its steps. */
    interface Pace {
        /** A pace that never waits and never stops: a warm-up run to its end (an AOT cache's training). */
        Pace FULL = () -> false;

        /**
         * True once the warm-up must stop (its spare's task has come). Before it answers false it
         * may wait while other processes keep the machine's CPUs busy: a warm-up is background
         * work, and takes only a CPU that nothing else wants.
         *
         * @throws InterruptedException if interrupted while it waits
         */
        boolean stop() throws InterruptedException;
    }

    /** The warm-up of class {@code className}, made with its no-argument constructor. */
    static SpareWarmup make(String className) throws ReflectiveOperationException {
        var make = Class.forName(className).asSubclass(SpareWarmup.class).getDeclaredConstructor();
        make.setAccessible(true); // it need not be public
        return make.newInstance();
    }
}
