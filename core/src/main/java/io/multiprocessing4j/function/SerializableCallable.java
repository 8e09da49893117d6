package io.multiprocessing4j.function;

import java.io.Serializable;
import java.util.concurrent.Callable;

/** A task that returns a value and can be sent to another JVM. */
@FunctionalInterface
public interface SerializableCallable<V> extends Callable<V>, Serializable {
}
