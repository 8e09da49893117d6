package io.multiprocessing4j.serial;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * An object the decoder is still building: a call ({@code REDUCE}, {@code NEWOBJ}, ...) of a
 * class with no eager mapping, waiting for its {@code APPENDS}, {@code SETITEMS} and
 * {@code BUILD}. It becomes final (a {@link PythonObject}, or what a decoder makes of one)
 * when its last occurrence leaves the decoder's stack; an occurrence stored in a container
 * before that (a self reference: its state refers to it) is replaced then. Never handed out.
 */
final class Pending {
    final PythonGlobal type;
    final Tuple args;
    final boolean viaNew;
    final Function<? super PythonObject, ?> decoder; // null: the PythonObject itself
    Object state;
    ArrayList<Object> items;
    LinkedHashMap<Object, Object> entries;
    int onStack;    // occurrences on the decoder's stack
    int escapes;    // occurrences stored in containers while it was open
    boolean done;
    Object value;   // once done

    Pending(PythonGlobal type, Tuple args, boolean viaNew, Function<? super PythonObject, ?> decoder) {
        this.type = type;
        this.args = args;
        this.viaNew = viaNew;
        this.decoder = decoder;
    }

    /** BUILD: a second state dict merges into the first, as attribute updates do; anything else replaces it. */
    @SuppressWarnings("unchecked")
    void build(Object newState) {
        if (state instanceof Map<?, ?> m && newState instanceof Map<?, ?> n && !(state instanceof FrozenSet)) {
            ((Map<Object, Object>) m).putAll(n);
        } else {
            state = newState;
        }
    }

    void append(Object item) {
        if (items == null) items = new ArrayList<>();
        items.add(item);
    }

    void setItem(Object key, Object v) {
        if (entries == null) entries = new LinkedHashMap<>();
        entries.put(key, v);
    }

    PythonObject toPythonObject() { return new PythonObject(type, args, viaNew, state, items, entries); }
}
