package io.multiprocessing4j.bench;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.internal.process.Launchers;
import io.multiprocessing4j.process.BaseProcess;

import java.time.Duration;

/**
 * Before any case: a child JVM's AOT cache is trained in the background at the first spawn of
 * its command line (once per build of the jars), and children started meanwhile start without
 * it while the training takes a core. So this starts one fresh child and one warm spare (their
 * command lines differ), and waits for the trainings they started, outside every clock: each
 * case then meets the children a program meets once its caches exist.
 */
final class ChildCaches {
    private ChildCaches() {}

    private static final Duration TIMEOUT = Duration.ofSeconds(180);

    /** The seconds it took; a warning on stderr if the trainings did not end in time. */
    static double prepare() throws Exception {
        long t0 = System.nanoTime();
        try (Context spawn = Multiprocessing.getContext("spawn"); Context warm = Multiprocessing.getContext("warm")) {
            BaseProcess child = spawn.process(ChildCaches::nothing);
            child.start();
            BenchCase.check(child.join(TIMEOUT) && Integer.valueOf(0).equals(child.exitCode()), "a first spawned child");
            BenchCase.check(warm.warmPool().awaitWarm(TIMEOUT), "a first warm spare");
            if (!Launchers.awaitChildCaches(TIMEOUT)) {
                System.err.println("# warning: child JVM caches still training after " + TIMEOUT.toSeconds() + " s");
            }
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void nothing() {}
}
