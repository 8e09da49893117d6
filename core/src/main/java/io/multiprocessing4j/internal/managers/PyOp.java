package io.multiprocessing4j.internal.managers;

/** One method a CPython client may call on a referent, with Python's arguments. */
@FunctionalInterface
interface PyOp {
    Object call(Object self, PyCall call) throws Throwable;
}
