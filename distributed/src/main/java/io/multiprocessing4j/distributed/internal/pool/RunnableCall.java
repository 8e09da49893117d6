package io.multiprocessing4j.distributed.internal.pool;

import io.multiprocessing4j.function.SerializableCallable;

import java.io.Serial;

/** A {@link Runnable} given to {@code execute} or {@code submit}, as the callable a worker runs: it returns {@code result}. */
record RunnableCall<T>(Runnable task, T result) implements SerializableCallable<T> {
    @Serial private static final long serialVersionUID = 1L;

    @Override
    public T call() {
        task.run();
        return result;
    }
}
