package io.multiprocessing4j.process;

import io.multiprocessing4j.internal.os.ProcessIdentity;

/** Parent-process views for tests outside this package, made as a child's bootstrap makes them. */
public final class ProcessTesting {
    private ProcessTesting() {}

    /** A parent that has ended: the child's watcher has seen its pipe close. */
    public static ParentProcess endedParent() {
        ProcessIdentity me = ProcessIdentity.current();
        ParentProcess p = new ParentProcess(me.pid(), me.startTime(), "EndedParent");
        p.markGone();
        return p;
    }

    /** A parent that is alive: this JVM, as a thread-started process sees it. */
    public static ParentProcess liveParent() { return ParentProcess.ofThread(); }
}
