package io.multiprocessing4j.function;

import java.io.Serializable;

/**
 * A function of several arguments that can be sent to another JVM: what Python's
 * {@code starmap} calls as {@code f(*args)}.
 */
@FunctionalInterface
public interface StarFunction<R> extends Serializable {
    R apply(Object... args) throws Exception;
}
