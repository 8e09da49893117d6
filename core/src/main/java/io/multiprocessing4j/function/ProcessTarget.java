package io.multiprocessing4j.function;

import java.io.Serializable;

/**
 * What a process runs: Python's {@code target(*args)}. The typed forms
 * ({@link SerializableRunnable}, {@link SerializableConsumer}, {@link SerializableBiConsumer})
 * are adapted to this one by the process factories.
 */
@FunctionalInterface
public interface ProcessTarget extends Serializable {
    void run(Object... args) throws Exception;
}
