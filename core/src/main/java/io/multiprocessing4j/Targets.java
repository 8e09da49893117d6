package io.multiprocessing4j;

import io.multiprocessing4j.function.ProcessTarget;
import io.multiprocessing4j.function.SerializableBiConsumer;
import io.multiprocessing4j.function.SerializableConsumer;
import io.multiprocessing4j.function.SerializableRunnable;

/**
 * The typed targets adapted to {@link ProcessTarget}. Named records, not lambdas: a child JVM
 * would spend milliseconds spinning up a second lambda class for each adapter.
 */
final class Targets {
    private Targets() {}

    record Runnable(SerializableRunnable target) implements ProcessTarget {
        @Override
        public void run(Object... args) throws Exception { target.run(); }
    }

    record Consumer<A>(SerializableConsumer<A> target) implements ProcessTarget {
        @Override
        @SuppressWarnings("unchecked")
        public void run(Object... args) throws Exception { target.accept((A) args[0]); }
    }

    record BiConsumer<A, B>(SerializableBiConsumer<A, B> target) implements ProcessTarget {
        @Override
        @SuppressWarnings("unchecked")
        public void run(Object... args) throws Exception { target.accept((A) args[0], (B) args[1]); }
    }
}
