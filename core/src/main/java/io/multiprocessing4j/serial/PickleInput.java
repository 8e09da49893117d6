package io.multiprocessing4j.serial;

import java.io.EOFException;
import java.io.IOException;
import java.io.StreamCorruptedException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static io.multiprocessing4j.serial.PickleOps.MAX_TEXT_NUMBER;

/**
 * The bytes of one pickle and a cursor over them: the encodings of opcode arguments
 * (little-endian integers, lengths, strings, protocol 0's text lines). Every length is checked
 * against the bytes left before anything is read or allocated ({@link EOFException} when
 * it claims more); malformed text is a {@link StreamCorruptedException}.
 */
final class PickleInput {
    private final byte[] b;
    private final int start, end;
    private int pos;

    PickleInput(byte[] b, int offset, int length) {
        this.b = b;
        this.start = offset;
        this.pos = offset;
        this.end = offset + length;
    }

    /** How many bytes are left. */
    int remaining() { return end - pos; }

    /** Where the cursor is, from the start of the pickle. */
    int offset() { return pos - start; }

    void need(long n) throws EOFException {
        if (n < 0 || n > end - pos) {
            throw new EOFException("pickle data was truncated: " + Long.toUnsignedString(n) + " bytes declared, " + (end - pos) + " left");
        }
    }

    int u8() throws EOFException { need(1); return b[pos++] & 0xff; }

    int s32() throws EOFException {
        need(4);
        int v = b[pos] & 0xff | (b[pos + 1] & 0xff) << 8 | (b[pos + 2] & 0xff) << 16 | b[pos + 3] << 24;
        pos += 4;
        return v;
    }

    long u32() throws EOFException { return s32() & 0xffffffffL; }

    /** A signed 4-byte length (BINSTRING, BINUNICODE, BINBYTES, LONG4), checked against the bytes present. */
    int len32(String what) throws IOException {
        int n = s32();
        if (n < 0) throw new StreamCorruptedException(what + " with a negative length");
        need(n);
        return n;
    }

    /** An unsigned 8-byte length, checked against the bytes present (so it fits an int). */
    int u64(String what) throws EOFException {
        need(8);
        long v = 0;
        for (int i = 7; i >= 0; i--) v = v << 8 | b[pos + i] & 0xff;
        pos += 8;
        need(v);
        return (int) v;
    }

    long beLong() throws EOFException {
        need(8);
        long v = 0;
        for (int i = 0; i < 8; i++) v = v << 8 | b[pos + i] & 0xff;
        pos += 8;
        return v;
    }

    byte[] bytes(int n) throws EOFException {
        need(n);
        byte[] v = Arrays.copyOfRange(b, pos, pos + n);
        pos += n;
        return v;
    }

    String utf8(int n) throws IOException {
        need(n);
        String s = PickleText.fromUtf8(b, pos, n);
        pos += n;
        return s;
    }

    String latin1(int n) throws EOFException {
        need(n);
        String s = new String(b, pos, n, StandardCharsets.ISO_8859_1);
        pos += n;
        return s;
    }

    /** A LONG1/LONG4 body: little-endian two's complement. */
    Number littleEndianInt(int n) throws EOFException {
        need(n);
        if (n == 0) return 0;
        byte[] be = new byte[n];
        for (int i = 0; i < n; i++) be[i] = b[pos + n - 1 - i];
        pos += n;
        return narrow(new BigInteger(be));
    }

    int lineEnd() throws EOFException {
        for (int i = pos; i < end; i++) if (b[i] == '\n') return i;
        throw new EOFException("pickle data was truncated: a line with no end");
    }

    String textLine() throws IOException {
        int e = lineEnd();
        String s = PickleText.fromUtf8(b, pos, e - pos);
        pos = e + 1;
        return s;
    }

    String numberLine(String what) throws IOException {
        int e = lineEnd();
        if (e - pos > MAX_TEXT_NUMBER) throw new StreamCorruptedException(what + " argument longer than " + MAX_TEXT_NUMBER + " characters");
        String s = new String(b, pos, e - pos, StandardCharsets.ISO_8859_1);
        pos = e + 1;
        return s.strip();
    }

    static BigInteger parseInt(String s, String what) throws StreamCorruptedException {
        try {
            return new BigInteger(s.startsWith("+") ? s.substring(1) : s);
        } catch (NumberFormatException e) {
            throw new StreamCorruptedException("bad " + what + " argument: " + PickleText.abbreviate(s));
        }
    }

    /** Integer when it fits in 32 bits, else Long when it fits in 64, else the BigInteger. */
    static Number narrow(BigInteger b) {
        int bits = b.bitLength();
        if (bits < 32) return b.intValue();
        if (bits < 64) return b.longValue();
        return b;
    }

    /** Protocol 0's {@code STRING} argument line: a quoted byte string. */
    byte[] quotedLine() throws IOException {
        int e = lineEnd();
        byte[] v = PickleText.quotedBytes(b, pos, e - pos);
        pos = e + 1;
        return v;
    }

    /** Protocol 0's {@code UNICODE} argument line, raw-unicode-escaped. */
    String rawUnicodeLine() throws IOException {
        int e = lineEnd();
        String v = PickleText.rawUnicodeEscape(b, pos, e - pos);
        pos = e + 1;
        return v;
    }

    /** A memo index written as text (protocol 0's GET and PUT). */
    long index(String what) throws IOException {
        BigInteger i = parseInt(numberLine(what), what);
        if (i.signum() < 0 || i.bitLength() > 62) throw new StreamCorruptedException("bad " + what + " index: " + PickleText.abbreviate(i.toString()));
        return i.longValue();
    }
}
