/**
 * How objects cross between processes: {@link io.multiprocessing4j.serial.Codec} turns
 * process arguments, pipe messages and queue items into bytes and back.
 * {@link io.multiprocessing4j.serial.DefaultCodec} writes common values (boxed primitives,
 * strings, byte arrays, lists and maps of them) in compact tags and everything else by Java
 * serialization behind an {@link java.io.ObjectInputFilter}. A context carries one codec to
 * the queues and pipes it makes ({@code ctx.withCodec(codec)}).
 */
package io.multiprocessing4j.serial;
