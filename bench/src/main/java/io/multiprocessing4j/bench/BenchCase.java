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

    /** Ends what the case's runs kept between them (a pool); called once after the last run, also after a failure. */
    default void close() throws Exception {}

    /** Metrics computed from the medians of {@link #run} (the peer's ratios); none by default. */
    default List<Result> derive(Map<String, Double> medians) { return List.of(); }

    /** One measured value. {@code params} is the workload size, reported with it. */
    record Result(String metric, double value, String unit, Map<String, Object> params) {}

    /** A failed check: the case reports {@code "metric":"error"} instead of numbers. */
    final class BenchError extends Exception {
        public BenchError(String message) { super(message); }
    }

    /** The peer's {@code check(cond, what)}. */
    static void check(boolean cond, String what) throws BenchError {
        if (!cond) throw new BenchError("check failed: " + what);
    }
}
