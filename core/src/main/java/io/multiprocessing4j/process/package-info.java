/**
 * Processes: Python's {@code multiprocessing.process}. {@link io.multiprocessing4j.process.BaseProcess}
 * is a process as its parent sees it (start, join, exit code, daemon flag, terminate, kill) and,
 * in the child, as it sees itself ({@code BaseProcess.current()}, {@code BaseProcess.parent()}:
 * a {@link io.multiprocessing4j.process.ParentProcess}). A process starts by a
 * {@link io.multiprocessing4j.process.StartMethod} ({@code spawn}: a fresh JVM; {@code warm}: a
 * JVM started ahead from a {@link io.multiprocessing4j.process.WarmPool}; {@code thread}) with
 * {@link io.multiprocessing4j.process.SpawnOptions}; a context picks the
 * {@link io.multiprocessing4j.process.Launcher} of its start method, so a process knows none.
 * {@link io.multiprocessing4j.process.RemoteException} carries an exception from another
 * process. {@link io.multiprocessing4j.process.Launcher} and
 * {@link io.multiprocessing4j.process.Bootstrap} are the seam to the library's launchers; a
 * program has no need to implement or call them.
 */
package io.multiprocessing4j.process;
