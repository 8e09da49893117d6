package io.multiprocessing4j.internal.connection;

/**
 * The layout of a {@link Ring} in shared memory, every offset computed here from the one
 * before it. The writers' and the readers' hot words lie on lines of their own.
 * <pre>
 *  0        4        8                 16                                  64
 *  +--------+--------+-----------------+- - - - - - - - - - - - - - - - - -+
 *  | magic  | version| capacity        |                                   |
 *  +--------+--------+-----------------+- - - - - - - - - - - - - - - - - -+
 *  64  tail: bytes published, long  | 72 int readers asleep | 76 int tail bell
 *       | 80 long start, 88 long end of the message being streamed
 *       | 96 int the newest tail bell a reader slept on                        (writer's line)
 *  128 head: bytes consumed, long   | 136 int writers asleep | 140 int head bell
 *       | 144 long room wanted: the head at which a sleeping writer wants waking
 *       | 152 long start, 160 long end of the message being streamed out       (reader's line)
 *  192 writing-end holders: int count, then 16 slots of (long pid, long start time); a
 *      slot held for copies of the end sent but not yet received has bit 62 set in its
 *      pid word and the number of such copies in bits 32-61
 *  512 reading-end holders: the same
 *  832 long start of the last message whose writer died in the middle of it (-1: none)
 *  1024 data: capacity bytes, a power of two, used as a circle
 * </pre>
 */
final class RingLayout {
    private RingLayout() {}

    static final int MAGIC = 0x474E4952; // "RING"
    static final int VERSION = 4; // raised at each change of this layout

    static final long MAGIC_AT = 0, VERSION_AT = MAGIC_AT + 4, CAPACITY = VERSION_AT + 4;
    static final long WRITERS_LINE = 64, TAIL = WRITERS_LINE, READERS_ASLEEP = TAIL + 8, TAIL_BELL = READERS_ASLEEP + 4,
            MSG_START = TAIL_BELL + 4, MSG_END = MSG_START + 8, READERS_SLEPT_ON = MSG_END + 8;
    static final long READERS_LINE = WRITERS_LINE + 64, HEAD = READERS_LINE, WRITERS_ASLEEP = HEAD + 8,
            HEAD_BELL = WRITERS_ASLEEP + 4, ROOM_WANTED = HEAD_BELL + 4, READ_START = ROOM_WANTED + 8, READ_END = READ_START + 8;
    /** The holders of one end: an int count, then {@link #HOLDER_SLOTS} slots of (long pid, long start time). */
    static final int HOLDER_SLOTS = 16;
    static final long HOLDER_SLOT_SIZE = 16, HOLDER_SLOTS_AT = 8;
    static final long HOLDERS_SIZE = 320; // HOLDER_SLOTS_AT + 16 slots, rounded up to whole lines
    static final long WRITING_HOLDERS = READERS_LINE + 64, READING_HOLDERS = WRITING_HOLDERS + HOLDERS_SIZE;
    static final long BROKEN_AT = READING_HOLDERS + HOLDERS_SIZE;
    static final long DATA = 1024; // on a boundary of its own, past the header

    static {
        assert HOLDER_SLOTS_AT + HOLDER_SLOTS * HOLDER_SLOT_SIZE <= HOLDERS_SIZE && BROKEN_AT + 8 <= DATA;
    }
}
