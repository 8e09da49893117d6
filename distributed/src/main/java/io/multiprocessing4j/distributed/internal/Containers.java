package io.multiprocessing4j.distributed.internal;

import io.multiprocessing4j.managers.DictProxy;
import io.multiprocessing4j.managers.ListProxy;
import io.multiprocessing4j.managers.Namespace;

/** Makes the manager-style containers (dict, list, namespace), one per name per context, and rebuilds them from a {@link Ref}. */
public final class Containers {
    private Containers() {}

    public static <K, V> DictProxy<K, V> dict(Home h, String name) {
        return h.object("dict", name, n -> new RedisDict<K, V>(h, n));
    }

    public static <E> ListProxy<E> list(Home h, String name) {
        return h.object("list", name, n -> new RedisList<E>(h, n));
    }

    public static Namespace namespace(Home h, String name) {
        return h.object("namespace", name, n -> new RedisNamespace(h, n));
    }

    static Object attach(Home h, String kind, String name) {
        return switch (kind) {
            case "dict" -> dict(h, name);
            case "list" -> list(h, name);
            case "namespace" -> namespace(h, name);
            default -> throw new IllegalArgumentException("unknown kind of distributed object: " + kind);
        };
    }
}
