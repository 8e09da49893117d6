package io.multiprocessing4j.managers;

import java.io.Serializable;
import java.util.function.Function;

/** A {@link Function} that can be sent to the manager's server and run there (a lambda written where one is expected is one). */
@FunctionalInterface
public interface RemoteFunction<A, R> extends Function<A, R>, Serializable {}
