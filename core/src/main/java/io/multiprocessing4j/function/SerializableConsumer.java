package io.multiprocessing4j.function;

import java.io.Serializable;

/** A one-argument task that can be sent to another JVM. */
@FunctionalInterface
public interface SerializableConsumer<A> extends Serializable {
    void accept(A a) throws Exception;
}
