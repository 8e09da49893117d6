package io.multiprocessing4j.serial;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A Python {@code bytearray}: bytes that Python may change, as opposed to {@code bytes}
 * ({@code byte[]}). The pickle codec decodes a {@code bytearray} to this type and encodes
 * this type as one, so the distinction survives a round trip. Immutable here (it holds a
 * copy); equality and hash code are by content.
 */
public final class Bytearray implements java.io.Serializable {
    @java.io.Serial private static final long serialVersionUID = 1L;
    private final byte[] bytes;

    private Bytearray(byte[] bytes) { this.bytes = bytes; }

    /** A bytearray holding a copy of {@code bytes}. */
    public static Bytearray of(byte[] bytes) { return new Bytearray(Objects.requireNonNull(bytes, "bytes").clone()); }

    /** Takes {@code bytes} without copying: for the codec, which owns the array it passes. */
    static Bytearray wrap(byte[] bytes) { return new Bytearray(bytes); }

    /** A copy of the bytes. */
    public byte[] toByteArray() { return bytes.clone(); }

    /** The bytes without copying, for the codec (never handed out). */
    byte[] bytes() { return bytes; }

    public int length() { return bytes.length; }

    @Override public boolean equals(Object o) { return o instanceof Bytearray b && Arrays.equals(bytes, b.bytes); }

    @Override public int hashCode() { return Arrays.hashCode(bytes); }

    /** {@code bytearray(b'<hex>')}-like: the hex of the content. */
    @Override public String toString() { return "bytearray(" + HexFormat.of().formatHex(bytes) + ")"; }
}
