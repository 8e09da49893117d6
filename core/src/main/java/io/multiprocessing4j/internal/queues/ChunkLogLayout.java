package io.multiprocessing4j.internal.queues;

/**
 * The layout of a {@link ChunkLog} in shared memory, every offset computed here from the
 * base of its line. Producers, consumers and joiners each write a line of their own.
 * <pre>
 * header (a heap block)
 *  0        4        8        12       16                24               32              40      64
 *  +--------+--------+--------+--------+-----------------+----------------+---------------+- - - +
 *  | magic  | version| chunk  | maxsize| family id       | keeper pid     | keeper start  |       |
 *  +--------+--------+--------+--------+-----------------+----------------+---------------+- - - +
 *  64  tail (long: chunk << 32 | offset) | 72 puts (long) | 80 int consumers asleep | 84 int slept on
 *       | 88 tasks put (long)                                                  (producers' line)
 *  128 head (long)                       | 136 gets (long)| 144 int producers asleep | 148 int slept on
 *       | 152 tasks done (long)                                                (consumers' line)
 *  196 int joiners asleep                                                      (joiners' line)
 *  256 put journal: tail, puts, tasks put (longs) | 320 get journal: head, gets (longs) | 384 end
 *
 * chunk n: the segment "mp4j_q" + family id + "_" + n
 *  0 int size | 64.. records: int length, then the bytes, padded to 4; length -1 ends the chunk early
 * </pre>
 */
final class ChunkLogLayout {
    private ChunkLogLayout() {}

    static final int MAGIC = 0x474F4C51; // "QLOG"
    static final int VERSION = 4; // raised at each change of this layout
    static final long MAGIC_AT = 0, VERSION_AT = MAGIC_AT + 4, CHUNK = VERSION_AT + 4, MAXSIZE = CHUNK + 4,
            ID = MAXSIZE + 4, KEEPER_PID = ID + 8, KEEPER_START = KEEPER_PID + 8;
    static final long PRODUCERS_LINE = 64, TAIL = PRODUCERS_LINE, PUTS = TAIL + 8, CONSUMERS_ASLEEP = PUTS + 8,
            CONSUMERS_SLEPT_ON = CONSUMERS_ASLEEP + 4, TASKS = CONSUMERS_SLEPT_ON + 4;
    static final long CONSUMERS_LINE = PRODUCERS_LINE + 64, HEAD = CONSUMERS_LINE, GETS = HEAD + 8,
            PRODUCERS_ASLEEP = GETS + 8, PRODUCERS_SLEPT_ON = PRODUCERS_ASLEEP + 4, DONE = PRODUCERS_SLEPT_ON + 4;
    static final long JOINERS_LINE = CONSUMERS_LINE + 64, JOINERS_ASLEEP = JOINERS_LINE + 4;
    // Commit journals: what a put or get is about to publish, so that whoever takes a dead
    // holder's lock over can finish (or ignore) its half-published step.
    static final long PUT_JOURNAL = JOINERS_LINE + 64, PUT_TAIL = PUT_JOURNAL, PUT_PUTS = PUT_TAIL + 8,
            PUT_TASKS = PUT_PUTS + 8;
    static final long GET_JOURNAL = PUT_JOURNAL + 64, GET_HEAD = GET_JOURNAL, GET_GETS = GET_HEAD + 8;
    static final long HEADER_SIZE = GET_JOURNAL + 64;
    // A chunk's layout: its size, then the records from the next line.
    static final long CHUNK_SIZE_AT = 0, RECORDS = 64;
}
