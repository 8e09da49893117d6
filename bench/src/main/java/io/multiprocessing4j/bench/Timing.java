package io.multiprocessing4j.bench;

import java.time.Duration;
import java.util.Arrays;

/** The peer's helpers: medians, means, and its JOIN_TIMEOUT for waits that must not hang. */
final class Timing {
    static final Duration JOIN_TIMEOUT = Duration.ofSeconds(60);

    private Timing() {}

    static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    static double mean(double[] xs) {
        double sum = 0;
        for (double x : xs) sum += x;
        return sum / xs.length;
    }
}
