package io.multiprocessing4j.serial;

import java.io.ByteArrayOutputStream;
import java.io.StreamCorruptedException;
import java.nio.charset.StandardCharsets;

/**
 * The text encodings pickle uses: UTF-8 with lone surrogates passed through (pickle's
 * {@code surrogatepass}, so any Java {@code String} survives), protocol 0's
 * raw-unicode-escape ({@code UNICODE}) and quoted byte strings ({@code STRING}), and float repr.
 */
final class PickleText {
    private PickleText() {}

    /** UTF-8 of {@code s}; a surrogate not part of a pair is written as its own 3-byte form, as Python's surrogatepass does. */
    static byte[] utf8(String s) {
        int n = s.length();
        boolean ascii = true;
        for (int i = 0; i < n && ascii; i++) ascii = s.charAt(i) < 0x80;
        if (ascii) return s.getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream out = new ByteArrayOutputStream(n * 3);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            int cp = c;
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                cp = Character.toCodePoint(c, s.charAt(++i));
            }
            if (cp < 0x80) out.write(cp);
            else if (cp < 0x800) { out.write(0xc0 | cp >> 6); out.write(0x80 | cp & 0x3f); }
            else if (cp < 0x10000) { out.write(0xe0 | cp >> 12); out.write(0x80 | cp >> 6 & 0x3f); out.write(0x80 | cp & 0x3f); }
            else {
                out.write(0xf0 | cp >> 18); out.write(0x80 | cp >> 12 & 0x3f);
                out.write(0x80 | cp >> 6 & 0x3f); out.write(0x80 | cp & 0x3f);
            }
        }
        return out.toByteArray();
    }

    /** Decodes UTF-8 (surrogates encoded alone accepted); malformed input is refused, as Python's decoder refuses it. */
    static String fromUtf8(byte[] b, int off, int len) throws StreamCorruptedException {
        int end = off + len;
        boolean ascii = true;
        for (int i = off; i < end && ascii; i++) ascii = b[i] >= 0;
        if (ascii) return new String(b, off, len, StandardCharsets.ISO_8859_1);
        StringBuilder sb = new StringBuilder(len);
        int i = off;
        while (i < end) {
            int c = b[i] & 0xff;
            int need, cp, min;
            if (c < 0x80) { sb.append((char) c); i++; continue; }
            else if (c >= 0xc2 && c < 0xe0) { need = 1; cp = c & 0x1f; min = 0x80; }
            else if (c >= 0xe0 && c < 0xf0) { need = 2; cp = c & 0x0f; min = 0x800; }
            else if (c >= 0xf0 && c < 0xf5) { need = 3; cp = c & 0x07; min = 0x10000; }
            else throw new StreamCorruptedException("invalid UTF-8 in a pickled str at byte " + (i - off));
            if (i + need >= end) {
                throw new StreamCorruptedException("truncated UTF-8 in a pickled str");
            }
            for (int k = 1; k <= need; k++) {
                int cc = b[i + k] & 0xff;
                if ((cc & 0xc0) != 0x80) throw new StreamCorruptedException("invalid UTF-8 in a pickled str at byte " + (i - off));
                cp = cp << 6 | cc & 0x3f;
            }
            if (cp < min || cp > 0x10ffff) throw new StreamCorruptedException("invalid UTF-8 in a pickled str at byte " + (i - off));
            sb.appendCodePoint(cp);
            i += need + 1;
        }
        return sb.toString();
    }

    /** Protocol 0's {@code UNICODE} line: latin-1 bytes in which a {@code \}{@code uXXXX} or {@code \}{@code UXXXXXXXX} escape stands for a code point. */
    static String rawUnicodeEscape(byte[] b, int off, int len) throws StreamCorruptedException {
        StringBuilder sb = new StringBuilder(len);
        int end = off + len;
        for (int i = off; i < end; ) {
            int c = b[i] & 0xff;
            if (c != '\\') { sb.append((char) c); i++; continue; }
            int run = 0;
            while (i + run < end && b[i + run] == '\\') run++;
            int next = i + run < end ? b[i + run] : -1;
            // Only a backslash that is not itself escaped by the one before it starts an escape.
            if (run % 2 == 1 && (next == 'u' || next == 'U')) {
                sb.append("\\".repeat(run - 1));
                int digits = next == 'u' ? 4 : 8;
                int start = i + run + 1;
                if (start + digits > end) throw new StreamCorruptedException("truncated \\" + (char) next + " escape in a pickled str");
                int cp = 0;
                for (int k = start; k < start + digits; k++) {
                    int d = Character.digit(b[k], 16);
                    if (d < 0) throw new StreamCorruptedException("bad \\" + (char) next + " escape in a pickled str");
                    cp = cp << 4 | d;
                }
                if (cp < 0 || cp > 0x10ffff) throw new StreamCorruptedException("\\U escape out of range in a pickled str");
                sb.appendCodePoint(cp);
                i = start + digits;
            } else {
                sb.append("\\".repeat(run));
                i += run;
            }
        }
        return sb.toString();
    }

    /** Protocol 0's {@code STRING} argument: a quoted Python 2 byte string with backslash escapes, as its bytes. */
    static byte[] quotedBytes(byte[] b, int off, int len) throws StreamCorruptedException {
        if (len < 2 || b[off] != b[off + len - 1] || (b[off] != '\'' && b[off] != '"')) {
            throw new StreamCorruptedException("the STRING opcode argument must be quoted");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(len);
        int end = off + len - 1;
        for (int i = off + 1; i < end; ) {
            int c = b[i++] & 0xff;
            if (c != '\\') { out.write(c); continue; }
            if (i >= end) throw new StreamCorruptedException("trailing backslash in a STRING");
            int e = b[i++];
            switch (e) {
                case 'n' -> out.write('\n');
                case 't' -> out.write('\t');
                case 'r' -> out.write('\r');
                case 'a' -> out.write(7);
                case 'b' -> out.write(8);
                case 'f' -> out.write(12);
                case 'v' -> out.write(11);
                case '\n' -> { }
                case '\\', '\'', '"' -> out.write(e);
                case 'x' -> {
                    if (i + 2 > end) throw new StreamCorruptedException("truncated \\x escape in a STRING");
                    int hi = Character.digit(b[i], 16), lo = Character.digit(b[i + 1], 16);
                    if (hi < 0 || lo < 0) throw new StreamCorruptedException("bad \\x escape in a STRING");
                    out.write(hi << 4 | lo);
                    i += 2;
                }
                default -> {
                    if (e >= '0' && e <= '7') {
                        int v = e - '0';
                        for (int k = 0; k < 2 && i < end && b[i] >= '0' && b[i] <= '7'; k++) v = v * 8 + (b[i++] - '0');
                        out.write(v & 0xff);
                    } else {
                        out.write('\\');
                        out.write(e);
                    }
                }
            }
        }
        return out.toByteArray();
    }

    /** Protocol 0's {@code FLOAT} line: Python's repr of a float (also {@code nan}, {@code inf}, {@code -inf}). */
    static double parseFloat(String s) throws StreamCorruptedException {
        String t = s.strip();
        switch (t.toLowerCase(java.util.Locale.ROOT)) {
            case "nan", "+nan", "-nan" -> { return Double.NaN; }
            case "inf", "+inf", "infinity", "+infinity" -> { return Double.POSITIVE_INFINITY; }
            case "-inf", "-infinity" -> { return Double.NEGATIVE_INFINITY; }
            default -> { }
        }
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (!(c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-' || c == '_')) {
                throw new StreamCorruptedException("bad FLOAT argument: " + abbreviate(t));
            }
        }
        try {
            return Double.parseDouble(t.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new StreamCorruptedException("bad FLOAT argument: " + abbreviate(t));
        }
    }

    static String abbreviate(String s) { return s.length() > 40 ? s.substring(0, 40) + "..." : s; }
}
