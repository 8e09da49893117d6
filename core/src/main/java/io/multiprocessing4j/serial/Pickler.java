package io.multiprocessing4j.serial;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import static io.multiprocessing4j.serial.PickleOps.*;

/**
 * Writes one Java value as a pickle of protocol 2 to 5, as {@link PickleCodec} documents,
 * with a memo (by identity) so that shared and self-referencing containers keep their shape.
 * The whole value is written to memory first: a value with no mapping fails before any
 * byte leaves. Recursion is bounded by {@link PickleCodec#MAX_DEPTH}. One use per instance.
 */
final class Pickler {
    private final int protocol;
    private final Function<Object, Function<Object, ?>> encoders;
    private final IdentityHashMap<Object, Integer> memo = new IdentityHashMap<>();
    private final HashMap<PythonGlobal, Integer> globals = new HashMap<>();
    private int memoSize;
    private int depth;
    private byte[] out = new byte[256];
    private int n;

    /** {@code encoders}: for a value, the user's encoder that applies to it, or null. */
    Pickler(int protocol, Function<Object, Function<Object, ?>> encoders) {
        this.protocol = protocol;
        this.encoders = encoders;
    }

    byte[] dump(Object v) throws Codec.NotSerializableException {
        write(PROTO);
        write(protocol);
        save(v, true);
        write(STOP);
        return Arrays.copyOf(out, n);
    }

    private void save(Object v, boolean userEncoders) throws Codec.NotSerializableException {
        if (++depth > PickleCodec.MAX_DEPTH) {
            throw new Codec.NotSerializableException("a value nested deeper than " + PickleCodec.MAX_DEPTH + " levels");
        }
        try {
            if (v == null) { write(NONE); return; }
            Integer at = memo.get(v);
            if (at != null) { get(at); return; }
            Function<Object, ?> custom = userEncoders ? encoders.apply(v) : null;
            if (custom != null) {
                Object py = custom.apply(v);
                save(py, false); // the encoder's result is written as it is; its contents go through the encoders again
                Integer written = py == null ? null : memo.get(py);
                if (written != null) memo.put(v, written);
                return;
            }
            saveBuiltin(v);
        } finally {
            depth--;
        }
    }

    private void saveBuiltin(Object v) throws Codec.NotSerializableException {
        switch (v) {
            case Boolean b -> write(b ? NEWTRUE : NEWFALSE);
            case Integer i -> saveLong(i);
            case Long l -> saveLong(l);
            case Short s -> saveLong(s);
            case Byte b -> saveLong(b);
            case BigInteger b -> saveBig(b);
            case Double d -> saveDouble(d);
            case Float f -> saveDouble(f);
            case String s -> saveStr(s);
            case Character c -> saveStr(String.valueOf(c));
            case byte[] b -> saveBytes(b);
            case Bytearray b -> saveBytearray(b);
            case Tuple t -> saveTuple(t, t);
            case Object[] a -> saveTuple(a, Arrays.asList(a));
            case PythonGlobal g -> saveGlobal(g);
            case PythonObject o -> saveObject(o);
            case FrozenSet f -> saveFrozenSet(f);
            case Set<?> s -> saveSet(s);
            case List<?> l -> saveList(l);
            case Map<?, ?> m -> saveDict(m);
            default -> {
                PythonObject o = PythonLibrary.toPython(v, protocol);
                if (o == null) throw new Codec.NotSerializableException(v.getClass().getName() + " has no pickle mapping (PickleCodec.withEncoder adds one)");
                saveObject(o);
                Integer written = memo.get(o);
                if (written != null) memo.put(v, written);
            }
        }
    }

    // ------------------------------------------------------------------------------ atoms

    private void saveLong(long x) {
        if (x >= 0 && x < 0x100) { write(BININT1); write((int) x); }
        else if (x >= 0 && x < 0x10000) { write(BININT2); write((int) x & 0xff); write((int) (x >> 8)); }
        else if (x == (int) x) { write(BININT); le32((int) x); }
        else saveBig(BigInteger.valueOf(x));
    }

    private void saveBig(BigInteger b) {
        if (b.bitLength() < 32) { saveLong(b.intValue()); return; }
        byte[] be = b.toByteArray(); // minimal two's complement, big-endian
        if (be.length < 0x100) { write(LONG1); write(be.length); }
        else { write(LONG4); le32(be.length); }
        for (int i = be.length - 1; i >= 0; i--) write(be[i]);
    }

    private void saveDouble(double d) {
        write(BINFLOAT);
        long bits = Double.doubleToRawLongBits(d);
        for (int i = 56; i >= 0; i -= 8) write((int) (bits >>> i));
    }

    private void saveStr(String s) {
        byte[] b = PickleText.utf8(s);
        if (protocol >= 4 && b.length < 0x100) { write(SHORT_BINUNICODE); write(b.length); }
        else { write(BINUNICODE); le32(b.length); }
        write(b, b.length);
        memoize(s);
    }

    private void saveBytes(byte[] b) throws Codec.NotSerializableException {
        if (protocol >= 3) {
            if (b.length < 0x100) { write(SHORT_BINBYTES); write(b.length); }
            else { write(BINBYTES); le32(b.length); }
            write(b, b.length);
        } else if (b.length == 0) {
            saveGlobal(new PythonGlobal("builtins", "bytes"));
            write(EMPTY_TUPLE);
            write(REDUCE);
        } else {
            // Protocol 2 has no bytes opcode: CPython writes _codecs.encode(latin-1 text, 'latin1').
            saveGlobal(new PythonGlobal("_codecs", "encode"));
            char[] text = new char[b.length];
            for (int i = 0; i < b.length; i++) text[i] = (char) (b[i] & 0xff);
            saveStr(new String(text));
            saveStr("latin1");
            write(TUPLE2);
            write(REDUCE);
        }
        memoize(b);
    }

    private void saveBytearray(Bytearray a) throws Codec.NotSerializableException {
        if (protocol >= 5) {
            write(BYTEARRAY8);
            le64(a.length());
            write(a.bytes(), a.length());
        } else {
            saveGlobal(new PythonGlobal("builtins", "bytearray"));
            saveBytes(a.bytes());
            write(TUPLE1);
            write(REDUCE);
        }
        memoize(a);
    }

    private void saveGlobal(PythonGlobal g) {
        Integer at = globals.get(g);
        if (at != null) { get(at); return; }
        if (protocol >= 4) {
            saveStr(g.module());
            saveStr(g.name());
            write(STACK_GLOBAL);
        } else {
            write(GLOBAL);
            byte[] m = PickleText.utf8(g.module()), nm = PickleText.utf8(g.name());
            write(m, m.length);
            write('\n');
            write(nm, nm.length);
            write('\n');
        }
        globals.put(g, memoSize);
        memoize(g);
    }

    // ------------------------------------------------------------------------------ containers

    /** A tuple may reach itself only through a mutable container: as CPython does, the inner copy wins and the outer is dropped. */
    private void saveTuple(Object identity, List<?> items) throws Codec.NotSerializableException {
        int size = items.size();
        if (size == 0) { write(EMPTY_TUPLE); return; }
        if (size <= 3) {
            for (Object o : items) save(o, true);
            Integer at = memo.get(identity);
            if (at != null) {
                for (int i = 0; i < size; i++) write(POP);
                get(at);
                return;
            }
            write(TUPLE1 + size - 1);
        } else {
            write(MARK);
            for (Object o : items) save(o, true);
            Integer at = memo.get(identity);
            if (at != null) { write(POP_MARK); get(at); return; }
            write(TUPLE);
        }
        memoize(identity);
    }

    private void saveList(List<?> l) throws Codec.NotSerializableException {
        write(EMPTY_LIST);
        memoize(l);
        batch(l, APPENDS, APPEND);
    }

    private void saveDict(Map<?, ?> m) throws Codec.NotSerializableException {
        write(EMPTY_DICT);
        memoize(m);
        saveEntries(m);
    }

    private void saveEntries(Map<?, ?> m) throws Codec.NotSerializableException {
        Iterator<? extends Map.Entry<?, ?>> it = m.entrySet().iterator();
        int left = m.size();
        while (left > 0) {
            int k = Math.min(left, BATCH);
            if (k == 1) {
                Map.Entry<?, ?> e = it.next();
                save(e.getKey(), true);
                save(e.getValue(), true);
                write(SETITEM);
            } else {
                write(MARK);
                for (int i = 0; i < k; i++) {
                    Map.Entry<?, ?> e = it.next();
                    save(e.getKey(), true);
                    save(e.getValue(), true);
                }
                write(SETITEMS);
            }
            left -= k;
        }
    }

    /** Writes {@code items} in batches with MARK ... {@code many}, or {@code one} for a batch of one (when there is one). */
    private void batch(Collection<?> items, int many, int one) throws Codec.NotSerializableException {
        Iterator<?> it = items.iterator();
        int left = items.size();
        while (left > 0) {
            int k = Math.min(left, BATCH);
            if (k == 1 && one >= 0) {
                save(it.next(), true);
                write(one);
            } else {
                write(MARK);
                for (int i = 0; i < k; i++) save(it.next(), true);
                write(many);
            }
            left -= k;
        }
    }

    private void saveSet(Set<?> s) throws Codec.NotSerializableException {
        if (protocol >= 4) {
            write(EMPTY_SET);
            memoize(s);
            batch(s, ADDITEMS, -1);
        } else {
            saveGlobal(new PythonGlobal("builtins", "set"));
            saveTuple(new Object(), List.of(new ArrayList<>(s)));
            write(REDUCE);
            memoize(s);
        }
    }

    private void saveFrozenSet(FrozenSet f) throws Codec.NotSerializableException {
        if (protocol >= 4) {
            write(MARK);
            for (Object o : f) save(o, true);
            Integer at = memo.get(f);
            if (at != null) { write(POP_MARK); get(at); return; }
            write(FROZENSET);
        } else {
            saveGlobal(new PythonGlobal("builtins", "frozenset"));
            saveTuple(new Object(), List.of(new ArrayList<>(f)));
            write(REDUCE);
        }
        memoize(f);
    }

    private void saveObject(PythonObject o) throws Codec.NotSerializableException {
        save(o.type(), true);
        save(o.args(), true);
        write(o.viaNew() ? NEWOBJ : REDUCE);
        Integer at = memo.get(o);
        if (at != null) { // reached again through its own arguments: the inner copy is the object
            write(POP);
            get(at);
            return;
        }
        memoize(o);
        if (!o.items().isEmpty()) batch(o.items(), APPENDS, APPEND);
        if (!o.entries().isEmpty()) saveEntries(o.entries());
        if (o.state() != null) {
            save(o.state(), true);
            write(BUILD);
        }
    }

    // ------------------------------------------------------------------------------ memo and bytes

    private void memoize(Object v) {
        int at = memoSize++;
        memo.put(v, at);
        if (protocol >= 4) write(MEMOIZE);
        else if (at < 0x100) { write(BINPUT); write(at); }
        else { write(LONG_BINPUT); le32(at); }
    }

    private void get(int at) {
        if (at < 0x100) { write(BINGET); write(at); }
        else { write(LONG_BINGET); le32(at); }
    }

    private void ensure(int more) {
        if (out.length - n < more) {
            long want = Math.max((long) out.length * 2, (long) n + more);
            if (want > Integer.MAX_VALUE - 8) want = Integer.MAX_VALUE - 8;
            if (want < (long) n + more) throw new OutOfMemoryError("pickle longer than a Java array holds");
            out = Arrays.copyOf(out, (int) want);
        }
    }

    private void write(int b) {
        ensure(1);
        out[n++] = (byte) b;
    }

    private void write(byte[] b, int len) {
        ensure(len);
        System.arraycopy(b, 0, out, n, len);
        n += len;
    }

    private void le32(int v) {
        ensure(4);
        for (int i = 0; i < 4; i++) out[n++] = (byte) (v >>> 8 * i);
    }

    private void le64(long v) {
        ensure(8);
        for (int i = 0; i < 8; i++) out[n++] = (byte) (v >>> 8 * i);
    }
}
