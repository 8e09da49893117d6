package io.multiprocessing4j.internal.pool;

/**
 * One task of a job: Python's chunk, {@code items.length} consecutive inputs that one worker
 * runs in one go.
 *
 * @param job     what it belongs to
 * @param seq     its place among the job's chunks, from 0
 * @param start   the place of its first item among the job's inputs
 * @param items   the inputs (null when they were encoded when the call was made)
 * @param encoded the inputs as a {@link Wire} items section, or null when not yet encoded
 */
record Chunk(Job job, int seq, int start, Object[] items, byte[] encoded) {}
