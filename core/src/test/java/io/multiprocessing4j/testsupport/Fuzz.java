package io.multiprocessing4j.testsupport;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * A fuzz batch: a seeded random source, a count of inputs, and the rule every input must
 * keep: it ends in a value or in an exception the contract allows, never in an
 * {@link Error}, another exception, or a hang (callers bound their waits). The seed is fixed
 * unless {@code -Dmp4j.fuzz.seed} gives one, and printed, so that a failure replays;
 * {@code -Dmp4j.fuzz.count=N} multiplies the inputs by N / the default (a longer hunt).
 */
public final class Fuzz {
    public static final long DEFAULT_SEED = 0x6d70346a_17L;

    /** One input; may return a value, may throw what the contract allows. */
    @FunctionalInterface
    public interface Input {
        void run() throws Throwable;
    }

    public final SplittableRandom rnd;
    private final String name;
    private final long seed;
    private final Predicate<Throwable> allowed;
    private final List<String> findings = new ArrayList<>();
    private int tried, threw;

    /** {@code allowed}: the exceptions an input may end in (an Error never is). */
    public Fuzz(String name, Predicate<Throwable> allowed) {
        this.name = name;
        this.seed = Long.getLong("mp4j.fuzz.seed", DEFAULT_SEED);
        this.rnd = new SplittableRandom(seed ^ name.hashCode());
        this.allowed = allowed;
    }

    /** The number of inputs a batch whose default is {@code n} runs. */
    public static int count(int n) {
        String c = System.getProperty("mp4j.fuzz.count");
        return c == null || c.isBlank() ? n : Integer.parseInt(c.trim());
    }

    /** Runs one input described by {@code what} (shown when it fails) and judges the outcome. */
    public void check(String what, Input input) {
        tried++;
        try {
            input.run();
        } catch (Throwable t) {
            if (t instanceof Error || !allowed.test(t)) {
                finding(what, t);
            } else {
                threw++;
            }
        }
    }

    /** Records a failure the caller detected itself (a hang, a wrong answer). */
    public void finding(String what, Throwable t) {
        java.io.StringWriter sw = new java.io.StringWriter();
        if (t != null) t.printStackTrace(new java.io.PrintWriter(sw));
        String trace = sw.toString().lines().limit(12).reduce("", (a, b) -> a + "\n    " + b);
        findings.add(what + (t == null ? "" : ": " + t + trace));
    }

    public byte[] bytes(int max) {
        byte[] b = new byte[rnd.nextInt(max + 1)];
        rnd.nextBytes(b);
        return b;
    }

    /** {@code b} with a few random bytes changed, inserted, removed, or the tail cut off. */
    public byte[] mutate(byte[] b) {
        byte[] m = b.clone();
        int edits = 1 + rnd.nextInt(3);
        for (int e = 0; e < edits; e++) {
            switch (rnd.nextInt(4)) {
                case 0 -> { if (m.length > 0) m[rnd.nextInt(m.length)] = (byte) rnd.nextInt(256); }
                case 1 -> { if (m.length > 0) m[rnd.nextInt(m.length)] ^= (byte) (1 << rnd.nextInt(8)); }
                case 2 -> m = java.util.Arrays.copyOf(m, rnd.nextInt(m.length + 1));
                default -> {
                    int at = rnd.nextInt(m.length + 1);
                    byte[] ins = bytes(8);
                    byte[] n = new byte[m.length + ins.length];
                    System.arraycopy(m, 0, n, 0, at);
                    System.arraycopy(ins, 0, n, at, ins.length);
                    System.arraycopy(m, at, n, at + ins.length, m.length - at);
                    m = n;
                }
            }
        }
        return m;
    }

    public static String hex(byte[] b) {
        String h = HexFormat.of().formatHex(b, 0, Math.min(b.length, 64));
        return b.length > 64 ? h + "... (" + b.length + " bytes)" : h;
    }

    /** Prints the figures; returns the findings (empty when every input kept the rule). */
    public List<String> finish() {
        System.out.printf("fuzz %s: seed %d, %d inputs tried, %d ended in an allowed exception, %d findings%n",
                name, seed, tried, threw, findings.size());
        findings.forEach(f -> System.out.println("  FINDING " + name + ": " + f));
        return findings;
    }

    public int tried() { return tried; }
}
