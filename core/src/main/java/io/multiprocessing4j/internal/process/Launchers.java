package io.multiprocessing4j.internal.process;

import io.multiprocessing4j.process.Launcher;
import io.multiprocessing4j.process.SpawnOptions;
import io.multiprocessing4j.process.StartMethod;

/**
 * The launchers of processes made without a context: a spawn or thread launcher for the
 * options, and for {@code warm} one shared pool of spares per options, closed at exit.
 */
public final class Launchers implements Launcher.Factory {
    private final Class<? extends SpareWarmup> warmup;

    /** Launchers whose spares do not warm up: what {@link java.util.ServiceLoader} finds. */
    public Launchers() { this(null); }

    /** Launchers whose spares run {@code warmup} while they wait. */
    public Launchers(Class<? extends SpareWarmup> warmup) { this.warmup = warmup; }

    /** The launcher a context of {@code method} and {@code options} gives its processes: a new pool for {@code warm}. */
    public static Launcher forContext(StartMethod method, SpawnOptions options, Class<? extends SpareWarmup> warmup) {
        return switch (method) {
            case SPAWN -> new SpawnLauncher(options, warmup);
            case WARM -> new WarmLauncher(options, warmup);
            case THREAD -> new ThreadLauncher(options);
        };
    }

    /**
     * Waits until the AOT caches of child JVMs that this JVM has started to train are made (or
     * given up), at most {@code timeout}: the first spawn of a command line trains its cache in
     * the background, and children started meanwhile start without it. True if all are done.
     */
    public static boolean awaitChildCaches(java.time.Duration timeout) throws InterruptedException {
        return ChildAot.awaitTrainings(timeout);
    }

    @Override
    public Launcher launcher(StartMethod method, SpawnOptions options) {
        return method == StartMethod.WARM ? WarmLauncher.shared(options, warmup) : forContext(method, options, warmup);
    }
}
