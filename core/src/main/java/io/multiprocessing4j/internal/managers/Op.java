package io.multiprocessing4j.internal.managers;

/** One method the server can call on a referent, with the request's arguments. */
@FunctionalInterface
interface Op {
    Object call(Object self, Object[] args) throws Throwable;
}
