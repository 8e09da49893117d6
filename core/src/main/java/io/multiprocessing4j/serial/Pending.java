package io.multiprocessing4j.serial;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Set;
import java.util.function.Function;

/**
 * An object the decoder is still building: a call ({@code REDUCE}, {@code NEWOBJ}, ...) of a
 * class with no eager mapping, waiting for its {@code APPENDS}, {@code SETITEMS} and
 * {@code BUILD}. It becomes final (a {@link PythonObject}, or what a decoder makes of one)
 * when its last occurrence leaves the decoder's stack; an occurrence stored in a container
 * before that (a self reference: its state refers to it) is replaced then, in each of its
 * {@link #holders}. Never handed out.
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
    final Set<Object> holders = Collections.newSetFromMap(new IdentityHashMap<>()); // the containers that took them
    boolean done;
    Object value;   // once done

    Pending(PythonGlobal type, Tuple args, boolean viaNew, Function<? super PythonObject, ?> decoder) {
        this.type = type;
        this.args = args;
        this.viaNew = viaNew;
        this.decoder = decoder;
    }

    ArrayList<Object> items() {
        if (items == null) items = new ArrayList<>();
        return items;
    }

    LinkedHashMap<Object, Object> entries() {
        if (entries == null) entries = new LinkedHashMap<>();
        return entries;
    }

    PythonObject toPythonObject() { return new PythonObject(type, args, viaNew, state, items, entries); }
}
