package io.multiprocessing4j.serial;

import java.io.EOFException;
import java.io.IOException;
import java.io.StreamCorruptedException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import static io.multiprocessing4j.serial.PickleOps.*;

/**
 * Reads one pickle (protocols 0 to 5) from a byte range: the stack machine of the protocol,
 * with a memo, building Java values as {@link PickleCodec} documents. Nothing a pickle names
 * is imported or called: a call of a callable the codec does not map becomes a
 * {@link PythonObject}. Every length is checked against the bytes present before anything
 * is allocated; nesting is bounded by {@link PickleCodec#MAX_DEPTH}; the machine is a loop,
 * never a recursion. One use per instance; not thread-safe.
 */
final class Unpickler {
    private final PickleInput in;
    private final Map<PythonGlobal, Function<? super PythonObject, ?>> decoders;

    // The stack, and for each slot how deeply nested its value is (best effort: as written).
    private Object[] stack = new Object[32];
    private int[] depth = new int[32];
    private int sp;
    private int[] marks = new int[8];
    private int mp;
    private final HashMap<Long, Object> memo = new HashMap<>();
    private final HashMap<Long, Integer> memoDepth = new HashMap<>();
    private int proto;       // of the PROTO opcode; 0 when there is none
    private int openEscapes; // self references stored while their object was open, not yet closed

    Unpickler(byte[] in, int offset, int length, Map<PythonGlobal, Function<? super PythonObject, ?>> decoders) {
        this.in = new PickleInput(in, offset, length);
        this.decoders = decoders;
    }

    Object load() throws IOException {
        while (true) {
            if (in.remaining() == 0) throw new EOFException("pickle data was truncated: no STOP opcode");
            int at = in.offset();
            int op = in.u8();
            switch (op) {
                case PROTO -> {
                    int p = in.u8();
                    if (p > HIGHEST_PROTOCOL) throw new StreamCorruptedException("unsupported pickle protocol: " + p);
                    proto = p;
                }
                case FRAME -> in.need(in.u64("frame"));
                case STOP -> {
                    Object v = popN(1)[0];
                    if (sp != 0 || mp != 0) throw new StreamCorruptedException("STOP with " + sp + " more values on the pickle stack");
                    if (v instanceof Pending || openEscapes != 0) throw new StreamCorruptedException("a self reference the decoder cannot represent");
                    if (in.remaining() != 0) throw new StreamCorruptedException(in.remaining() + " bytes after the pickle's STOP");
                    return v;
                }
                case MARK -> mark();
                case POP -> { if (mp > 0 && marks[mp - 1] == sp) mp--; else popN(1); }
                case POP_MARK -> popMark();
                case DUP -> { Object v = peek(); push(v, depth[sp - 1]); }
                case NONE -> push(null, 0);
                case NEWTRUE -> push(Boolean.TRUE, 0);
                case NEWFALSE -> push(Boolean.FALSE, 0);
                case INT -> {
                    String s = in.numberLine("INT");
                    push(s.equals("00") ? Boolean.FALSE : s.equals("01") ? Boolean.TRUE : PickleInput.narrow(PickleInput.parseInt(s, "INT")), 0);
                }
                case LONG -> {
                    String s = in.numberLine("LONG");
                    push(PickleInput.narrow(PickleInput.parseInt(s.endsWith("L") ? s.substring(0, s.length() - 1) : s, "LONG")), 0);
                }
                case BININT -> push(in.s32(), 0);
                case BININT1 -> push(in.u8(), 0);
                case BININT2 -> push(in.u8() | in.u8() << 8, 0);
                case LONG1 -> push(in.littleEndianInt(in.u8()), 0);
                case LONG4 -> push(in.littleEndianInt(in.len32("LONG4")), 0);
                case FLOAT -> push(PickleText.parseFloat(in.numberLine("FLOAT")), 0);
                case BINFLOAT -> push(Double.longBitsToDouble(in.beLong()), 0);
                case STRING -> push(new String(in.quotedLine(), StandardCharsets.ISO_8859_1), 0);
                case BINSTRING -> push(in.latin1(in.len32("BINSTRING")), 0);
                case SHORT_BINSTRING -> push(in.latin1(in.u8()), 0);
                case UNICODE -> push(in.rawUnicodeLine(), 0);
                case SHORT_BINUNICODE -> push(in.utf8(in.u8()), 0);
                case BINUNICODE -> push(in.utf8(in.len32("BINUNICODE")), 0);
                case BINUNICODE8 -> push(in.utf8(in.u64("BINUNICODE8")), 0);
                case SHORT_BINBYTES -> push(in.bytes(in.u8()), 0);
                case BINBYTES -> push(in.bytes(in.len32("BINBYTES")), 0);
                case BINBYTES8 -> push(in.bytes(in.u64("BINBYTES8")), 0);
                case BYTEARRAY8 -> push(Bytearray.wrap(in.bytes(in.u64("BYTEARRAY8"))), 0);
                case EMPTY_TUPLE -> push(Tuple.of(), 0);
                case TUPLE1, TUPLE2, TUPLE3 -> {
                    int n = op - TUPLE1 + 1;
                    if (sp - floor() < n) throw underflow(op);
                    push(tuple(sp - n), lastTupleDepth);
                }
                case TUPLE -> { int m = popMarkIndex(); push(tuple(m), lastTupleDepth); }
                case EMPTY_LIST -> push(new ArrayList<>(), 0);
                case LIST -> {
                    int m = popMarkIndex();
                    int d = maxDepth(m);
                    ArrayList<Object> l = new ArrayList<>(Arrays.asList(popFrom(m)));
                    hold(l, l);
                    push(l, d + 1);
                }
                case APPEND -> {
                    if (sp - floor() < 2) throw underflow(op);
                    int d = depth[sp - 1];
                    append(peek(1), Arrays.asList(popN(1)), d);
                }
                case APPENDS -> {
                    int m = popMarkIndex();
                    if (m <= floor()) throw underflow(op);
                    int d = maxDepth(m);
                    append(stack[m - 1], Arrays.asList(popFrom(m)), d);
                }
                case EMPTY_DICT -> push(new LinkedHashMap<>(), 0);
                case DICT -> {
                    int m = popMarkIndex();
                    if ((sp - m) % 2 != 0) throw new StreamCorruptedException("odd number of items for DICT");
                    int d = maxDepth(m);
                    LinkedHashMap<Object, Object> map = new LinkedHashMap<>();
                    Object[] kv = popFrom(m);
                    for (int i = 0; i < kv.length; i += 2) map.put(hashable(kv[i]), kv[i + 1]);
                    hold(map, Arrays.asList(kv));
                    push(map, d + 1);
                }
                case SETITEM -> {
                    if (sp - floor() < 3) throw underflow(op);
                    int d = Math.max(depth[sp - 1], depth[sp - 2]);
                    setItems(peek(2), popN(2), d);
                }
                case SETITEMS -> {
                    int m = popMarkIndex();
                    if (m <= floor() || (sp - m) % 2 != 0) throw new StreamCorruptedException("bad SETITEMS");
                    int d = maxDepth(m);
                    setItems(stack[m - 1], popFrom(m), d);
                }
                case EMPTY_SET -> push(new LinkedHashSet<>(), 0);
                case ADDITEMS -> {
                    int m = popMarkIndex();
                    if (m <= floor()) throw underflow(op);
                    if (!(stack[m - 1] instanceof LinkedHashSet<?> s)) throw new StreamCorruptedException("ADDITEMS to a " + kind(stack[m - 1]));
                    int d = maxDepth(m);
                    @SuppressWarnings("unchecked") Set<Object> set = (Set<Object>) s;
                    List<Object> items = Arrays.asList(popFrom(m));
                    for (Object o : items) set.add(hashable(o));
                    hold(set, items);
                    raiseTop(d + 1);
                }
                case FROZENSET -> {
                    int m = popMarkIndex();
                    int d = maxDepth(m);
                    List<Object> items = Arrays.asList(popFrom(m));
                    for (Object o : items) hashable(o);
                    FrozenSet f = FrozenSet.wrap(new LinkedHashSet<>(items));
                    hold(f, items);
                    push(f, d + 1);
                }
                case GLOBAL -> {
                    String module = in.textLine();
                    String name = in.textLine();
                    push(global(module, name), 0);
                }
                case STACK_GLOBAL -> {
                    if (sp - floor() < 2) throw underflow(op);
                    Object[] mn = popN(2);
                    Object module = mn[0], name = mn[1];
                    if (!(module instanceof String m) || !(name instanceof String n)) throw new StreamCorruptedException("STACK_GLOBAL needs two strings");
                    push(global(m, n), 0);
                }
                case REDUCE -> {
                    if (sp - floor() < 2) throw underflow(op);
                    int d = depth[sp - 1];
                    Object[] fa = popN(2);
                    push(call(fa[0], fa[1], false), d + 1);
                }
                case NEWOBJ -> {
                    if (sp - floor() < 2) throw underflow(op);
                    int d = depth[sp - 1];
                    Object[] ca = popN(2);
                    push(call(ca[0], ca[1], true), d + 1);
                }
                case NEWOBJ_EX -> {
                    if (sp - floor() < 3) throw underflow(op);
                    int d = Math.max(depth[sp - 1], depth[sp - 2]);
                    Object[] cak = popN(3);
                    if (cak[2] instanceof Map<?, ?> kw && kw.isEmpty()) push(call(cak[0], cak[1], true), d + 1);
                    else {
                        Tuple args = Tuple.of(cak);
                        hold(args, args);
                        push(call(new PythonGlobal("copyreg", "__newobj_ex__"), args, false), d + 1);
                    }
                }
                case INST -> {
                    PythonGlobal g = global(in.textLine(), in.textLine());
                    int m = popMarkIndex();
                    int d = maxDepth(m);
                    Tuple args = tuple(m);
                    push(call(g, args, args.isEmpty()), d + 1);
                }
                case OBJ -> {
                    int m = popMarkIndex();
                    if (m == sp) throw underflow(op);
                    int d = maxDepth(m);
                    Object[] all = popFrom(m);
                    Tuple args = Tuple.wrap(Arrays.copyOfRange(all, 1, all.length));
                    hold(args, args);
                    push(call(all[0], args, args.isEmpty()), d + 1);
                }
                case BUILD -> {
                    if (sp - floor() < 2) throw underflow(op);
                    int d = depth[sp - 1];
                    Object state = popN(1)[0];
                    build(peek(), state);
                    raiseTop(d + 1);
                }
                case PUT -> put(in.index("PUT"));
                case BINPUT -> put(in.u8());
                case LONG_BINPUT -> put(in.u32());
                case MEMOIZE -> put(memo.size());
                case GET -> get(in.index("GET"));
                case BINGET -> get(in.u8());
                case LONG_BINGET -> get(in.u32());
                case PERSID, BINPERSID -> throw new StreamCorruptedException("persistent IDs in a pickle are not supported (opcode " + name(op) + " at " + at + ")");
                case EXT1, EXT2, EXT4 -> throw new StreamCorruptedException("pickle extension codes (copyreg's registry) are not supported (at " + at + ")");
                case NEXT_BUFFER, READONLY_BUFFER -> throw new StreamCorruptedException("protocol 5 out-of-band buffers are not supported (at " + at + ")");
                default -> throw new StreamCorruptedException("unknown pickle opcode 0x" + Integer.toHexString(op) + " at " + at);
            }
        }
    }

    // ------------------------------------------------------------------------------ calls

    /** {@code f(*args)} (REDUCE), or {@code f.__new__(f, *args)} (NEWOBJ): a mapped value, or an object still open. */
    private Object call(Object f, Object argsObj, boolean viaNew) throws StreamCorruptedException {
        if (!(f instanceof PythonGlobal g)) {
            throw new StreamCorruptedException("a call of " + kind(f) + " (not a module global) has no Java form");
        }
        if (!(argsObj instanceof Tuple args)) throw new StreamCorruptedException("call arguments must be a tuple, not " + kind(argsObj));
        Function<? super PythonObject, ?> decoder = decoders.get(g);
        if (decoder == null && !viaNew) {
            if (g.module().equals("copyreg")) {
                if (g.name().equals("_reconstructor")) return reconstructor(g, args);
                if (g.name().equals("__newobj__") && !args.isEmpty() && args.get(0) instanceof PythonGlobal cls) {
                    Tuple rest = Tuple.wrap(args.subList(1, args.size()).toArray());
                    hold(rest, rest);
                    return new Pending(cls, rest, true, decoders.get(cls));
                }
            }
            // While a self reference is open, a mapping that copies its arguments could hide
            // it from the fix-up: the call stays a PythonObject then.
            if (openEscapes == 0) {
                Object v = PythonLibrary.construct(g, args);
                if (v != PythonLibrary.NOT_MAPPED) return v;
            }
        }
        return new Pending(g, args, viaNew, decoder);
    }

    /** Protocols 0-1's {@code copyreg._reconstructor(cls, base, state)}: {@code base.__new__(cls, state)}. */
    private Object reconstructor(PythonGlobal g, Tuple args) {
        if (args.size() == 3 && args.get(0) instanceof PythonGlobal cls && args.get(1) instanceof PythonGlobal base && base.module().equals("builtins")) {
            Pending p = new Pending(cls, Tuple.of(), true, decoders.get(cls));
            switch (base.name()) {
                case "object" -> { if (args.get(2) == null) return p; }
                case "list" -> {
                    if (args.get(2) instanceof Collection<?> c && openEscapes == 0) { p.items().addAll(c); return p; }
                }
                case "dict" -> {
                    if (args.get(2) instanceof Map<?, ?> m && openEscapes == 0) { p.entries().putAll(m); return p; }
                }
                default -> { }
            }
        }
        return new Pending(g, args, false, null);
    }

    /** BUILD: a second state dict merges into the first, as attribute updates do; anything else replaces it. */
    @SuppressWarnings("unchecked")
    private void build(Object target, Object state) throws StreamCorruptedException {
        if (target instanceof Pending p && !p.done) {
            if (p.state instanceof LinkedHashMap<?, ?> m && state instanceof Map<?, ?> n) {
                ((Map<Object, Object>) m).putAll(n);
                hold(m, n.keySet());
                hold(m, n.values());
            } else {
                p.state = state;
                hold(p, java.util.Collections.singletonList(state));
            }
            return;
        }
        boolean empty = state == null || state instanceof Map<?, ?> m && m.isEmpty();
        if (!empty) throw new StreamCorruptedException("BUILD of a " + kind(target) + " (state: " + kind(state) + ")");
    }

    @SuppressWarnings("unchecked")
    private void append(Object target, List<Object> items, int d) throws StreamCorruptedException {
        List<Object> l;
        if (target instanceof ArrayList<?> a) l = (List<Object>) a;
        else if (target instanceof Pending p && !p.done) l = p.items();
        else throw new StreamCorruptedException("APPEND to a " + kind(target));
        l.addAll(items);
        hold(l, items);
        raiseTop(d + 1);
    }

    @SuppressWarnings("unchecked")
    private void setItems(Object target, Object[] kv, int d) throws StreamCorruptedException {
        Map<Object, Object> m;
        if (target instanceof LinkedHashMap<?, ?> x) m = (Map<Object, Object>) x;
        else if (target instanceof Pending p && !p.done) m = p.entries();
        else throw new StreamCorruptedException("SETITEM on a " + kind(target));
        for (int i = 0; i < kv.length; i += 2) m.put(hashable(kv[i]), kv[i + 1]);
        hold(m, Arrays.asList(kv));
        raiseTop(d + 1);
    }

    /** Takes the top {@code n} values off the stack (above the current mark), released as one step. */
    private Object[] popN(int n) throws IOException {
        if (sp - floor() < n) throw new StreamCorruptedException("pickle stack underflow");
        return popFrom(sp - n);
    }

    /** Takes the values from slot {@code from} up off the stack, released as one step. */
    private Object[] popFrom(int from) throws IOException {
        Object[] a = Arrays.copyOfRange(stack, from, sp);
        truncate(from);
        return release(a);
    }

    /**
     * Values leave the stack together into a container, a call or the result. An object still
     * being built becomes final when no occurrence of it is left on the stack (siblings taken in
     * the same step included); one with an occurrence left below (its own state refers to it, a
     * self reference) is stored as it is, and replaced in the container when it becomes final.
     */
    private Object[] release(Object[] a) throws IOException {
        for (Object v : a) if (v instanceof Pending p) p.onStack--;
        for (int i = 0; i < a.length; i++) {
            if (!(a[i] instanceof Pending p)) continue;
            if (!p.done && p.onStack == 0) finish(p);
            if (p.done) a[i] = p.value;
            else { p.escapes++; openEscapes++; }
        }
        return a;
    }

    /**
     * {@code key}, checked to be one Python could hash (a dict key, a set element): not a
     * list, dict, set or bytearray, nor a tuple holding one. Python's loader refuses those too;
     * here they could also make hashing walk a cycle.
     */
    static Object hashable(Object key) throws StreamCorruptedException {
        switch (key) {
            case ArrayList<?> l -> throw new StreamCorruptedException("unhashable type: list, as a dict key or set element");
            case LinkedHashMap<?, ?> m -> throw new StreamCorruptedException("unhashable type: dict, as a dict key or set element");
            case LinkedHashSet<?> s -> throw new StreamCorruptedException("unhashable type: set, as a dict key or set element");
            case Bytearray b -> throw new StreamCorruptedException("unhashable type: bytearray, as a dict key or set element");
            case Tuple t -> { for (Object o : t) hashable(o); }
            case null, default -> { }
        }
        return key;
    }

    /** Records {@code holder} as a container of each open object among {@code values}, to be fixed when it closes. */
    private static void hold(Object holder, java.util.Collection<?> values) {
        for (Object v : values) if (v instanceof Pending p && !p.done) p.holders.add(holder);
    }

    private void finish(Pending p) throws IOException {
        PythonObject o = p.toPythonObject();
        p.done = true;
        p.value = o;
        if (p.escapes > 0) close(p, p, o);
        if (p.decoder == null) return;
        Object v;
        try {
            v = p.decoder.apply(o);
        } catch (RuntimeException e) {
            throw (StreamCorruptedException) new StreamCorruptedException("the decoder of " + p.type + " failed: " + e).initCause(e);
        }
        p.value = v;
        if (p.escapes > 0 && v != o) close(p, o, v);
    }

    private void close(Pending p, Object from, Object to) throws StreamCorruptedException {
        int n = 0;
        for (Object h : p.holders) n += SelfReferences.replace(h, from, to);
        if (n != p.escapes) throw new StreamCorruptedException("a reference to " + p.type + " made before it was complete cannot be represented");
        if (from == p) openEscapes -= p.escapes;
    }

    // ------------------------------------------------------------------------------ stack

    private void push(Object v, int d) throws StreamCorruptedException {
        if (d > PickleCodec.MAX_DEPTH) throw new StreamCorruptedException("pickle nested deeper than " + PickleCodec.MAX_DEPTH + " levels");
        if (sp == stack.length) {
            stack = Arrays.copyOf(stack, sp * 2);
            depth = Arrays.copyOf(depth, sp * 2);
        }
        if (v instanceof Pending p) p.onStack++;
        stack[sp] = v;
        depth[sp++] = d;
    }

    private int lastTupleDepth; // set by tuple(), read right after it

    /** The tuple of the stack from {@code from} up (its items taken), leaving {@link #lastTupleDepth} set. */
    private Tuple tuple(int from) throws IOException {
        int d = maxDepth(from);
        Tuple t = Tuple.wrap(popFrom(from));
        hold(t, t);
        lastTupleDepth = t.isEmpty() ? 0 : d + 1;
        return t;
    }

    private Object peek() throws StreamCorruptedException { return peek(0); }

    /** The value {@code below} slots under the top, which must be above the current mark. */
    private Object peek(int below) throws StreamCorruptedException {
        if (sp - below <= floor()) throw new StreamCorruptedException("pickle stack underflow");
        return stack[sp - 1 - below];
    }

    private void raiseTop(int d) throws StreamCorruptedException {
        if (d > PickleCodec.MAX_DEPTH) throw new StreamCorruptedException("pickle nested deeper than " + PickleCodec.MAX_DEPTH + " levels");
        depth[sp - 1] = Math.max(depth[sp - 1], d);
    }

    private int maxDepth(int from) {
        int d = 0;
        for (int i = from; i < sp; i++) d = Math.max(d, depth[i]);
        return d;
    }

    /** Drops the slots from {@code from} up, whose values were taken. */
    private void truncate(int from) {
        Arrays.fill(stack, from, sp, null);
        sp = from;
    }

    /** The lowest slot the current mark lets an opcode use. */
    private int floor() { return mp == 0 ? 0 : marks[mp - 1]; }

    private void mark() {
        if (mp == marks.length) marks = Arrays.copyOf(marks, mp * 2);
        marks[mp++] = sp;
    }

    private int popMarkIndex() throws StreamCorruptedException {
        if (mp == 0) throw new StreamCorruptedException("could not find MARK");
        return marks[--mp];
    }

    private void popMark() throws IOException {
        popFrom(popMarkIndex());
    }

    private void put(long index) throws StreamCorruptedException {
        if (index < 0) throw new StreamCorruptedException("negative memo index");
        memo.put(index, peek());
        memoDepth.put(index, depth[sp - 1]);
    }

    private void get(long index) throws StreamCorruptedException {
        if (!memo.containsKey(index)) throw new StreamCorruptedException("memo value not found at index " + index);
        Object v = memo.get(index);
        if (v instanceof Pending p && p.done) v = p.value;
        push(v, memoDepth.get(index));
    }

    private static StreamCorruptedException underflow(int op) {
        return new StreamCorruptedException("pickle stack underflow at " + name(op));
    }

    /** A global as Python 3 reads it: protocols 0-2 get Python 2's names renamed, as its fix_imports does. */
    private PythonGlobal global(String module, String name) {
        return proto < 3 ? Python2Names.of(module, name) : new PythonGlobal(module, name);
    }

    static String kind(Object v) {
        return switch (v) {
            case null -> "None";
            case Pending p -> p.type.toString();
            case PythonObject o -> o.type().toString();
            default -> v.getClass().getName();
        };
    }

    private static String name(int op) { return op >= 0x20 && op < 0x7f ? "'" + (char) op + "'" : "0x" + Integer.toHexString(op); }
}
