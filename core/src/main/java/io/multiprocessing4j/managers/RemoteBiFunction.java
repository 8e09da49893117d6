package io.multiprocessing4j.managers;

import java.io.Serializable;
import java.util.function.BiFunction;

/** A {@link BiFunction} that can be sent to the manager's server and run there (a lambda written where one is expected is one). */
@FunctionalInterface
public interface RemoteBiFunction<A, B, R> extends BiFunction<A, B, R>, Serializable {}
