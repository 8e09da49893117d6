package io.multiprocessing4j.process;

import java.util.Locale;

/** How a process is started. */
public enum StartMethod {
    /** A fresh JVM: same {@code java}, class path and module path, plus the context's options. */
    SPAWN,
    /**
     * A JVM started ahead, as {@code spawn} would start it, that has run the library's hot
     * paths while it waited ({@link WarmPool}): the {@code forkserver} of the JVM world.
     */
    WARM,
    /** A thread of this JVM, with the same API: what {@code multiprocessing.dummy} is to Python. */
    THREAD;

    /** The lower-case name Python uses ({@code "spawn"}, {@code "warm"}, {@code "thread"}). */
    public String pythonName() { return name().toLowerCase(Locale.ROOT); }

    /** Parses a Python-style name. */
    public static StartMethod of(String name) {
        for (StartMethod m : values()) if (m.pythonName().equals(name)) return m;
        throw new IllegalArgumentException("cannot find context for '" + name + "'");
    }
}
