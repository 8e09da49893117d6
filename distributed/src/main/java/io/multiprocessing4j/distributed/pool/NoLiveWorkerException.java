package io.multiprocessing4j.distributed.pool;

import io.multiprocessing4j.connection.ProcessError;

import java.io.Serial;

/**
 * Why a call of a distributed pool failed when no worker was alive on the pool for the
 * pool's {@link PoolOptions#noWorkerTimeout()} while the call waited: nothing would ever run
 * it. Its message names the pool and how to start workers.
 */
public class NoLiveWorkerException extends ProcessError {
    @Serial private static final long serialVersionUID = 1L;

    public NoLiveWorkerException(String message) {
        super(message);
    }
}
