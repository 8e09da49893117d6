package io.multiprocessing4j.function;

import java.io.Serializable;

/** A function that can be sent to another JVM. */
@FunctionalInterface
public interface SerializableFunction<A, R> extends Serializable {
    R apply(A a) throws Exception;
}
