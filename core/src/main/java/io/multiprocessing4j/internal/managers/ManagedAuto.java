package io.multiprocessing4j.internal.managers;

import io.multiprocessing4j.managers.RemoteError;
import io.multiprocessing4j.managers.ManagerUnreachableException;
import io.multiprocessing4j.managers.AutoProxy;
import java.io.Serial;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.util.Arrays;

/** An {@link AutoProxy}: calls by name, or through a {@link java.lang.reflect.Proxy} of the user's interface. */
public final class ManagedAuto extends ManagedObject implements AutoProxy {
    @Serial private static final long serialVersionUID = 1L;

    ManagedAuto(Token token, Session session) { super(token, session); }

    /**
     * Python's {@code proxy._callmethod(name, args)}: calls {@code method} of the referent on
     * the server and returns a copy of its result (a proxy when the method is listed in
     * {@code methodToTypeid}). Waits as long as the method runs; no timeout of its own.
     *
     * @throws Exception what the method threw, as itself
     * @throws RemoteError when the method is not exposed, or its result cannot be encoded
     * @throws ManagerUnreachableException when the server is gone
     */
    public Object call(String method, Object... args) throws Exception {
        return Frozen.freeze(rawChecked(method, args));
    }

    /**
     * This proxy as {@code type}, an interface whose methods the referent has (and exposes):
     * each call goes to the server. A checked exception the method throws reaches the caller
     * when the interface method declares it, else inside a {@link RemoteError}.
     */
    public <T> T as(Class<T> type) {
        if (!type.isInterface()) throw new IllegalArgumentException(type.getName() + " is not an interface");
        InvocationHandler h = (p, m, args) -> {
            if (m.getDeclaringClass() == Object.class) return object(m, p, args);
            Object[] a = args == null ? new Object[0] : args;
            try {
                return call(m.getName(), a);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Exception e) {
                for (Class<?> declared : m.getExceptionTypes()) if (declared.isInstance(e)) throw e;
                throw new RemoteError(m.getName() + "() failed on the manager: " + e, e);
            }
        };
        return type.cast(java.lang.reflect.Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, h));
    }

    private Object object(Method m, Object p, Object[] args) {
        return switch (m.getName()) {
            case "equals" -> p == args[0];
            case "hashCode" -> System.identityHashCode(p);
            case "toString" -> toString();
            default -> throw new UnsupportedOperationException(m.getName() + Arrays.toString(args));
        };
    }
}
