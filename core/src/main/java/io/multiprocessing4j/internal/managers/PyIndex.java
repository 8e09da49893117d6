package io.multiprocessing4j.internal.managers;

import io.multiprocessing4j.serial.PythonObject;

import java.util.ArrayList;
import java.util.List;

/** Python's sequence indexing on a {@code java.util.List}: negative indexes and {@code slice} objects. */
final class PyIndex {
    private PyIndex() {}

    static int index(Object i, int size, String what) {
        int n = PyCall.integer(i, what + " indices");
        int k = n < 0 ? n + size : n;
        if (k < 0 || k >= size) throw PyError.indexError(what + " index out of range");
        return k;
    }

    static boolean isSlice(Object o) { return o instanceof PythonObject p && p.is("builtins", "slice"); }

    /** The positions a slice picks from a sequence of {@code size}, in order. */
    static List<Integer> positions(Object slice, int size) {
        List<Object> a = ((PythonObject) slice).args();
        Object startArg = a.size() > 0 ? a.get(0) : null, stopArg = a.size() > 1 ? a.get(1) : null, stepArg = a.size() > 2 ? a.get(2) : null;
        int step = stepArg == null ? 1 : PyCall.integer(stepArg, "slice step");
        if (step == 0) throw PyError.valueError("slice step cannot be zero");
        int start, stop;
        if (step > 0) {
            start = startArg == null ? 0 : clamp(PyCall.integer(startArg, "slice indices"), size, 0, size);
            stop = stopArg == null ? size : clamp(PyCall.integer(stopArg, "slice indices"), size, 0, size);
        } else {
            start = startArg == null ? size - 1 : clamp(PyCall.integer(startArg, "slice indices"), size, -1, size - 1);
            stop = stopArg == null ? -1 : clamp(PyCall.integer(stopArg, "slice indices"), size, -1, size - 1);
        }
        List<Integer> out = new ArrayList<>();
        for (int i = start; step > 0 ? i < stop : i > stop; i += step) out.add(i);
        return out;
    }

    private static int clamp(int i, int size, int lo, int hi) {
        int k = i < 0 ? i + size : i;
        return Math.max(lo, Math.min(hi, k));
    }

    static List<Object> get(List<?> list, Object slice) {
        List<Object> out = new ArrayList<>();
        for (int i : positions(slice, list.size())) out.add(list.get(i));
        return out;
    }

    /** {@code list[slice] = values}: a plain slice may change the length, an extended one must match it. */
    static void set(List<Object> list, Object slice, List<?> values) {
        List<Object> a = ((PythonObject) slice).args();
        Object stepArg = a.size() > 2 ? a.get(2) : null;
        List<Integer> at = positions(slice, list.size());
        if (stepArg == null || PyCall.integer(stepArg, "slice step") == 1) {
            int from = at.isEmpty() ? Math.max(0, Math.min(list.size(), startOf(a, list.size()))) : at.get(0);
            list.subList(from, from + at.size()).clear();
            list.addAll(from, values);
            return;
        }
        if (at.size() != values.size()) {
            throw PyError.valueError("attempt to assign sequence of size " + values.size() + " to extended slice of size " + at.size());
        }
        for (int k = 0; k < at.size(); k++) list.set(at.get(k), values.get(k));
    }

    private static int startOf(List<Object> a, int size) {
        Object s = a.isEmpty() ? null : a.get(0);
        if (s == null) return 0;
        int i = PyCall.integer(s, "slice indices");
        return i < 0 ? Math.max(0, i + size) : i;
    }

    static void delete(List<Object> list, Object slice) {
        List<Integer> at = positions(slice, list.size());
        at.sort(java.util.Comparator.reverseOrder());
        for (int i : at) list.remove(i);
    }
}
