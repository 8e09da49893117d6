package io.multiprocessing4j.internal.managers;

/**
 * The server side of a managed {@code Semaphore} or {@code BoundedSemaphore}: a counter
 * under this object's monitor. Permits have no owner, so a dead client's are lost, as the
 * {@code Semaphore} contract says. Waits are bounded by the client's slice.
 */
final class ServerSemaphore {
    private final int bound; // -1: unbounded
    private int value;

    ServerSemaphore(int value, boolean bounded) {
        if (value < 0) throw new IllegalArgumentException("semaphore initial value must be >= 0");
        this.value = value;
        this.bound = bounded ? value : -1;
    }

    boolean bounded() { return bound >= 0; }

    synchronized boolean acquire(long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        while (value == 0) {
            if (!Owner.waitUntil(this, deadline)) return false;
        }
        value--;
        return true;
    }

    /** @throws IllegalStateException when a bounded semaphore would exceed its initial value (Python's {@code ValueError}) */
    synchronized void release() {
        if (bound >= 0 && value >= bound) throw new IllegalStateException("semaphore or lock released too many times");
        if (value == Integer.MAX_VALUE) throw new IllegalStateException("semaphore value overflow");
        value++;
        notifyAll();
    }

    synchronized int value() { return value; }

    @Override
    public synchronized String toString() { return (bound >= 0 ? "BoundedSemaphore" : "Semaphore") + "(value=" + value + ")"; }
}
