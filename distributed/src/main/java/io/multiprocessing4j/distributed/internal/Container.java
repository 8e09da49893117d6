package io.multiprocessing4j.distributed.internal;

import io.multiprocessing4j.serial.Codec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;

/**
 * What the manager-style containers (dict, list, namespace) share, by delegation: their key
 * on the server, the codec (the library's default) for their elements, and the bookkeeping
 * of {@link io.multiprocessing4j.managers.BaseProxy}. There is no reference count on the
 * server: closing a container closes this view only, and the container lives on the server
 * until it is cleared.
 */
final class Container {
    final Home home;
    final String key;
    final String name;
    final String typeid;
    private final Class<?> api;
    private volatile boolean closed;

    Container(Home home, String typeid, String name, Class<?> api) {
        this.home = home;
        this.typeid = typeid;
        this.name = name;
        this.api = api;
        this.key = Home.key(typeid, name);
    }

    /** Runs {@code lua} on {@code keys}. */
    List<?> eval(String lua, List<String> keys, Object... args) {
        if (closed) throw new IllegalStateException("this " + typeid + " proxy is closed");
        home.check();
        return (List<?>) home.server().eval(lua, keys, args);
    }

    static byte[] encode(Object o) {
        try {
            return Codec.defaultCodec().encode(o);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot store " + (o == null ? "null" : o.getClass().getName()) + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    static <T> T decode(Object bytes) {
        try {
            return (T) Codec.defaultCodec().decode((byte[]) bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("a stored value could not be decoded", e);
        }
    }

    static boolean found(List<?> r) {
        return Server.asLong(r.get(0)) == 1;
    }

    List<String> exposed() {
        return Arrays.stream(api.getMethods()).filter(m -> !Modifier.isStatic(m.getModifiers()))
                .map(Method::getName).distinct().sorted().toList();
    }

    void close() { closed = true; }

    boolean isClosed() { return closed; }

    String repr() {
        return "<" + api.getSimpleName() + " object, typeid '" + typeid + "' at " + home.address() + "#" + name + ">";
    }

    Ref ref() {
        return new Ref(home.address(), typeid, name, new long[0]);
    }
}
