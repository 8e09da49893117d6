package io.multiprocessing4j.internal.process;

import io.multiprocessing4j.function.ProcessTarget;
import io.multiprocessing4j.function.SerializableBiConsumer;
import io.multiprocessing4j.function.SerializableConsumer;
import io.multiprocessing4j.function.SerializableRunnable;

import java.io.Serial;

/**
 * The typed targets adapted to {@link ProcessTarget}. Named classes, not lambdas: a child JVM
 * would spend milliseconds spinning up a second lambda class for each adapter. Nor records:
 * deserializing a record goes through its canonical constructor by method handles, whose
 * combinators a cold child JVM must spin up first; a plain class has its fields set directly.
 */
public final class Targets {
    private Targets() {}

    /** {@code target.run()} as a process target. */
    public static ProcessTarget runnable(SerializableRunnable target) { return new Runnable(target); }

    /** {@code target.accept(args[0])} as a process target. */
    public static <A> ProcessTarget consumer(SerializableConsumer<A> target) { return new Consumer<>(target); }

    /** {@code target.accept(args[0], args[1])} as a process target. */
    public static <A, B> ProcessTarget biConsumer(SerializableBiConsumer<A, B> target) { return new BiConsumer<>(target); }

    static final class Runnable implements ProcessTarget {
        @Serial
        private static final long serialVersionUID = 1L;
        private final SerializableRunnable target;

        Runnable(SerializableRunnable target) { this.target = target; }

        Object target() { return target; }

        @Override
        public void run(Object... args) throws Exception { target.run(); }
    }

    static final class Consumer<A> implements ProcessTarget {
        @Serial
        private static final long serialVersionUID = 1L;
        private final SerializableConsumer<A> target;

        Consumer(SerializableConsumer<A> target) { this.target = target; }

        Object target() { return target; }

        @Override
        @SuppressWarnings("unchecked")
        public void run(Object... args) throws Exception { target.accept((A) args[0]); }
    }

    static final class BiConsumer<A, B> implements ProcessTarget {
        @Serial
        private static final long serialVersionUID = 1L;
        private final SerializableBiConsumer<A, B> target;

        BiConsumer(SerializableBiConsumer<A, B> target) { this.target = target; }

        Object target() { return target; }

        @Override
        @SuppressWarnings("unchecked")
        public void run(Object... args) throws Exception { target.accept((A) args[0], (B) args[1]); }
    }
}
