/**
 * How objects cross between processes: {@link io.multiprocessing4j.serial.Codec} turns
 * process arguments, pipe messages and queue items into bytes and back.
 * {@link io.multiprocessing4j.serial.DefaultCodec} writes common values (boxed primitives,
 * strings, byte arrays, lists and maps of them) in compact tags and everything else by Java
 * serialization behind an {@link java.io.ObjectInputFilter}.
 * {@link io.multiprocessing4j.serial.PickleCodec} ({@code Codec.pickle()}) speaks Python's pickle,
 * for Python peers, and decodes Python data with no JDK type to
 * {@link io.multiprocessing4j.serial.Tuple}, {@link io.multiprocessing4j.serial.FrozenSet},
 * {@link io.multiprocessing4j.serial.Bytearray}, {@link io.multiprocessing4j.serial.Complex},
 * {@link io.multiprocessing4j.serial.PythonGlobal} and {@link io.multiprocessing4j.serial.PythonObject}.
 * A context carries one codec to the queues and pipes it makes ({@code ctx.withCodec(codec)}).
 */
package io.multiprocessing4j.serial;
