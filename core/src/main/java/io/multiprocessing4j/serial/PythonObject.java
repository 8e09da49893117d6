package io.multiprocessing4j.serial;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An object of a Python class that has no Java mapping, kept as data: how the pickle
 * builds it, without building it. Decoding yields one of these for every call of a class
 * or function the codec does not map (a {@code REDUCE} or {@code NEWOBJ}), so no code named
 * by a pickle ever runs; encoding one writes the same construction for the Python side to
 * carry out.
 *
 * <p>Equality is by value (type, arguments, state, items, entries), and holds for objects
 * that refer to themselves through their state: a comparison that meets the same pair again
 * takes it as equal. The hash code looks only at the type, {@code viaNew} and the number of
 * arguments, so that hashing never walks into a cycle (Python objects are dict keys and set
 * elements by identity, often with back references). The decoder's lists and maps inside a
 * decoded object are its own: treat them as read-only.
 *
 * @param type    the class ({@code NEWOBJ}: {@code type.__new__(type, *args)}) or the
 *                callable ({@code REDUCE}: {@code type(*args)})
 * @param args    the arguments of that call
 * @param viaNew  true for {@code NEWOBJ} (the class's {@code __new__}), false for {@code REDUCE}
 * @param state   what {@code BUILD} gave the object ({@code __setstate__} or its
 *                {@code __dict__}), or null when nothing did
 * @param items   the elements {@code APPEND}/{@code APPENDS} added (a list subclass), empty when none
 * @param entries the entries {@code SETITEM}/{@code SETITEMS} added (a dict subclass), empty when none
 */
public record PythonObject(PythonGlobal type, Tuple args, boolean viaNew, Object state,
                           List<Object> items, Map<Object, Object> entries) implements java.io.Serializable {
    public PythonObject {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(args, "args");
        items = items == null ? List.of() : items;
        entries = entries == null ? Map.of() : entries;
    }

    /** {@code module.name(*args)}, as {@code REDUCE} writes it: exceptions, most library objects. */
    public static PythonObject call(String module, String name, Object... args) {
        return new PythonObject(new PythonGlobal(module, name), Tuple.of(args), false, null, null, null);
    }

    /** {@code module.name.__new__(module.name, *args)} then {@code BUILD(state)}, as protocol 2+ writes a plain class's instance. */
    public static PythonObject create(String module, String name, Tuple args, Object state) {
        return new PythonObject(new PythonGlobal(module, name), args, true, state, null, null);
    }

    /** Two objects compared by identity, for the pairs an equality check is inside. */
    private record Pair(Object a, Object b) {
        @Override public boolean equals(Object o) { return o instanceof Pair p && p.a == a && p.b == b; }
        @Override public int hashCode() { return System.identityHashCode(a) * 31 + System.identityHashCode(b); }
    }

    private static final ThreadLocal<java.util.HashSet<Pair>> COMPARING = ThreadLocal.withInitial(java.util.HashSet::new);

    @Override public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof PythonObject p) || viaNew != p.viaNew || !type.equals(p.type) || args.size() != p.args.size()) return false;
        var comparing = COMPARING.get();
        Pair pair = new Pair(this, p);
        if (!comparing.add(pair)) return true; // met again inside itself: equal unless something else differs
        try {
            return args.equals(p.args) && Objects.equals(state, p.state) && items.equals(p.items) && entries.equals(p.entries);
        } finally {
            comparing.remove(pair);
        }
    }

    @Override public int hashCode() { return (type.hashCode() * 31 + args.size()) * 2 + (viaNew ? 1 : 0); }

    private static final ThreadLocal<java.util.IdentityHashMap<Object, Boolean>> PRINTING =
            ThreadLocal.withInitial(java.util.IdentityHashMap::new);

    /**
     * Python-like: {@code module.name(args)}, then the state, items and entries there are;
     * an object met again inside itself prints as {@code <module.name ...>}.
     */
    @Override public String toString() {
        var printing = PRINTING.get();
        if (printing.put(this, Boolean.TRUE) != null) return "<" + type + " ...>";
        try {
            StringBuilder sb = new StringBuilder().append(type).append(viaNew ? ".__new__" : "").append(args);
            if (state != null) sb.append(" state=").append(state);
            if (!items.isEmpty()) sb.append(" items=").append(items);
            if (!entries.isEmpty()) sb.append(" entries=").append(entries);
            return sb.toString();
        } finally {
            printing.remove(this);
        }
    }

    /** True when this is an instance of (or a call of) {@code module.name}. */
    public boolean is(String module, String name) {
        return type.module().equals(module) && type.name().equals(name);
    }
}
