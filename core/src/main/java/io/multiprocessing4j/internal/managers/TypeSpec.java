package io.multiprocessing4j.internal.managers;

import io.multiprocessing4j.managers.ManagedFactory;
import io.multiprocessing4j.managers.AutoProxy;
import java.io.Serial;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One registered typeid: how the server makes its objects, which methods it calls on them,
 * which methods' results become managed objects themselves (Python's
 * {@code method_to_typeid}), and which proxy class the clients use ({@code kind}: a built-in
 * proxy's name, or {@code "auto"} for {@link AutoProxy}). Travels to the server's JVM.
 *
 * @param exposed null: every public method of the object's class but {@code Object}'s
 */
record TypeSpec(String typeid, String kind, ManagedFactory factory, List<String> exposed,
                Map<String, String> methodToTypeid, boolean createMethod) implements Serializable {
    @Serial private static final long serialVersionUID = 1L;

    TypeSpec {
        Objects.requireNonNull(typeid, "typeid");
        Objects.requireNonNull(kind, "kind");
        exposed = exposed == null ? null : List.copyOf(exposed);
        methodToTypeid = methodToTypeid == null ? Map.of() : Map.copyOf(methodToTypeid);
    }
}
