package io.multiprocessing4j.bench;

import java.util.List;
import java.util.Map;

/**
 * One benchmark case, the Java twin of a case in the CPython peer {@code mp_baseline.py}:
 * same name, same workload, same metric names and units, so the two outputs can be merged.
 */
public interface BenchCase {
    /** The case name, as the CPython peer spells it. */
    String name();

    /**
     * Runs the workload once and returns one value per metric. {@link BenchMain} calls it
     * once untimed (warm-up) and then once per repetition, and reports each metric's median.
     *
     * @throws BenchError when a check on the workload's outcome fails
     */
    List<Result> run(boolean quick) throws Exception;

    /**
     * How many untimed runs to make first, given the harness's number ({@code --warmups}): a
     * case whose run is short may ask for more, so that its code is compiled for good before
     * the clock starts.
     */
    default int warmups(int standard) { return standard; }

    /**
     * How many child processes one run takes from {@link Children#context()}, whose start
     * method the run chooses ({@code --start}); 0 (the default) for a case that starts no
     * children or makes its own contexts (each start method's figure under its own metric).
     * A case with children is measured once per start method, and its records say which; with
     * {@code warm}, the pool keeps this many spares. {@link BenchMain} checks the answer
     * against what the case did.
     */
    default int children() { return 0; }

    /**
     * Whether the case needs the distributed module's third-party jars (Redisson and its
     * dependencies), which {@link CaseForks} puts on its JVM's class path only: a long class
     * path makes every spawned child JVM start slower, which the other cases measure.
     */
    default boolean needsRedisson() { return false; }

    /** Whether the case's children depend on the run's start method: {@code children() > 0}. */
    default boolean startsChildren() { return children() > 0; }

    /** Ends what the case's runs kept between them (a pool); called once after the last run, also after a failure. */
    default void close() throws Exception {}

    /** Metrics computed from the medians of {@link #run} (the peer's ratios); none by default. */
    default List<Result> derive(Map<String, Double> medians) { return List.of(); }

    /**
     * One measured value. {@code params} is the workload size, reported with it.
     * {@code start}: the start method of the children measured, for a case that makes its
     * own contexts and reports each method under its own metric; null otherwise (the
     * record then names the run's start method if {@link #startsChildren()}).
     */
    record Result(String metric, double value, String unit, Map<String, Object> params, String start) {
        Result(String metric, double value, String unit, Map<String, Object> params) {
            this(metric, value, unit, params, null);
        }
    }

    /** A failed check: the case reports {@code "metric":"error"} instead of numbers. */
    final class BenchError extends Exception {
        public BenchError(String message) { super(message); }
    }

    /** The peer's {@code check(cond, what)}. */
    static void check(boolean cond, String what) throws BenchError {
        if (!cond) throw new BenchError("check failed: " + what);
    }
}
