package io.multiprocessing4j.distributed.pool;

import io.multiprocessing4j.pool.WorkerLostException;

import java.io.Serial;

/**
 * The {@link WorkerLostException} of a distributed pool: the worker running the task stopped
 * renewing its lease on the server before answering (its JVM was killed or crashed, or it was
 * cut off from the server for longer than its lease). {@link #exitCode()} is null: the exit
 * code is not known on another machine.
 */
public class RemoteWorkerLostException extends WorkerLostException {
    @Serial private static final long serialVersionUID = 1L;
    private final String host;
    private final String workerId;

    public RemoteWorkerLostException(long pid, String host, String workerId) {
        super(pid, null);
        this.host = host;
        this.workerId = workerId;
    }

    /** The host name the worker gave when it joined the pool. */
    public String host() { return host; }

    /** The worker's id on the server. */
    public String workerId() { return workerId; }

    @Override
    public String getMessage() {
        return "pool worker " + pid() + " on " + host + " (" + workerId + ") stopped renewing its lease while running this task"
                + " (killed, or cut off from the server)";
    }
}
