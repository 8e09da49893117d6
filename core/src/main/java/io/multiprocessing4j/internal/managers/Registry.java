package io.multiprocessing4j.internal.managers;

import java.io.Serial;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/** The typeids a manager knows, in registration order; copied to its server when it starts. Thread-safe. */
final class Registry implements Serializable {
    @Serial private static final long serialVersionUID = 1L;
    private final Map<String, TypeSpec> types = new LinkedHashMap<>();

    synchronized void add(TypeSpec spec) { types.put(spec.typeid(), spec); }

    synchronized TypeSpec get(String typeid) { return types.get(typeid); }

    synchronized Registry copy() {
        Registry r = new Registry();
        r.types.putAll(types);
        return r;
    }
}
