package io.multiprocessing4j.internal.managers;

import io.multiprocessing4j.connection.Pipe;
import io.multiprocessing4j.function.ProcessTarget;
import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.serial.Codec;

/**
 * What a manager needs from the context that starts its server. The root package supplies
 * it, so that this package does not depend on the context above it.
 */
public interface ManagerHost {

    /** A new process, not started, that will run {@code target} with {@code args}. */
    BaseProcess process(ProcessTarget target, Object... args);

    /** A one-way pipe on which the server reports its address. */
    Pipe pipe();

    /** Whether {@link #process} runs in this JVM (the thread start method), sharing the pipe's ends with it. */
    boolean sameJvm();

    /** The codec that proxies and the server encode values with. */
    Codec codec();

    /** How the manager's server makes its pools: with the context's start method, in the server's JVM. */
    PoolMaker pools();

    /** Releases what was made for this manager alone (a default context); called once, when the manager shuts down. */
    void close();
}
