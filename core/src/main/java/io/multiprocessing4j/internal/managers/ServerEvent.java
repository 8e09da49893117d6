package io.multiprocessing4j.internal.managers;

/** The server side of a managed {@code Event}: a flag under this object's monitor; waits bounded by the client's slice. */
final class ServerEvent {
    private boolean flag;

    synchronized boolean isSet() { return flag; }

    synchronized void set() {
        flag = true;
        notifyAll();
    }

    synchronized void clear() { flag = false; }

    /** @return the flag when the wait ends */
    synchronized boolean await(long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        while (!flag) {
            if (!Owner.waitUntil(this, deadline)) return false;
        }
        return true;
    }

    @Override
    public synchronized String toString() { return "Event(" + (flag ? "set" : "unset") + ")"; }
}
