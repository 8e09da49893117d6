package io.multiprocessing4j.managers;

import java.io.Serializable;

/**
 * Makes the object behind a registered typeid, in the manager's server, from the arguments
 * given to {@link BaseManager#create}: Python's {@code register(typeid, callable)}. It is
 * sent to the server's JVM, so it is a serializable lambda or method reference.
 */
@FunctionalInterface
public interface ManagedFactory extends Serializable {
    Object create(Object... args) throws Exception;
}
