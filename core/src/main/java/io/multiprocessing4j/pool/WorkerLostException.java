package io.multiprocessing4j.pool;

import io.multiprocessing4j.connection.ProcessError;

import java.io.Serial;

/**
 * The cause of a task's failure when the worker process running it ended before answering:
 * killed, out of memory, or {@code System.exit} in the task. Python's pool waits for such a
 * task for ever; this pool fails it, starts a new worker in the dead one's place, and runs
 * the tasks the dead worker had been given but not started on other workers.
 */
public class WorkerLostException extends ProcessError {
    @Serial private static final long serialVersionUID = 1L;
    private final long pid;
    private final Integer exitCode;

    public WorkerLostException(long pid, Integer exitCode) {
        super("pool worker " + pid + " ended" + (exitCode == null ? "" : " with exit code " + exitCode)
                + " while running this task");
        this.pid = pid;
        this.exitCode = exitCode;
    }

    /** The worker's process id. */
    public long pid() { return pid; }

    /** How the worker ended, as {@link io.multiprocessing4j.process.BaseProcess#exitCode()} says ({@code -9}: SIGKILL), or null if unknown. */
    public Integer exitCode() { return exitCode; }
}
