package io.multiprocessing4j.function;

import java.io.Serializable;

/** A two-argument task that can be sent to another JVM. */
@FunctionalInterface
public interface SerializableBiConsumer<A, B> extends Serializable {
    void accept(A a, B b) throws Exception;
}
