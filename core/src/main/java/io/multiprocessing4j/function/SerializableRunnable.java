package io.multiprocessing4j.function;

import java.io.Serializable;

/** A task with no arguments that can be sent to another JVM. */
@FunctionalInterface
public interface SerializableRunnable extends Serializable {
    void run() throws Exception;
}
