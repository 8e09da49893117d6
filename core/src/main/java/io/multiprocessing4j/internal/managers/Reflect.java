package io.multiprocessing4j.internal.managers;

import io.multiprocessing4j.managers.RemoteError;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The methods the server may call on an object of a registered user type: the exposed
 * names, or, when none were given, every public method not declared by {@code Object}
 * (Python's default: the public callables). An overloaded name takes the first method
 * whose parameters accept the arguments (after unboxing).
 */
final class Reflect {
    private static final Map<Class<?>, Map<String, Op>> ALL = new ConcurrentHashMap<>();

    private Reflect() {}

    static Map<String, Op> ops(Class<?> type, List<String> exposed) {
        Map<String, Op> all = ALL.computeIfAbsent(type, Reflect::scan);
        if (exposed == null) return all;
        Map<String, Op> some = new LinkedHashMap<>();
        for (String name : exposed) {
            Op op = all.get(name);
            some.put(name, op != null ? op : (self, args) -> {
                throw new RemoteError(type.getName() + " has no public method '" + name + "'");
            });
        }
        return Collections.unmodifiableMap(some);
    }

    /** The exposed names of {@code type}: {@code exposed} itself, or every public method's name. */
    static List<String> names(Class<?> type, List<String> exposed) {
        return exposed != null ? exposed : List.copyOf(ALL.computeIfAbsent(type, Reflect::scan).keySet());
    }

    private static Map<String, Op> scan(Class<?> type) {
        Map<String, List<Method>> byName = new LinkedHashMap<>();
        for (Method m : type.getMethods()) {
            if (m.getDeclaringClass() == Object.class || Modifier.isStatic(m.getModifiers())) continue;
            m.trySetAccessible(); // a public method of a class that is not public
            byName.computeIfAbsent(m.getName(), k -> new ArrayList<>()).add(m);
        }
        Map<String, Op> ops = new LinkedHashMap<>();
        byName.forEach((name, methods) -> ops.put(name, (self, args) -> invoke(pick(type, name, methods, args), self, args)));
        return Collections.unmodifiableMap(ops);
    }

    private static Method pick(Class<?> type, String name, List<Method> methods, Object[] args) {
        for (Method m : methods) if (accepts(m.getParameterTypes(), args)) return m;
        throw new RemoteError("no method " + type.getName() + "." + name + " takes " + args.length + " argument(s) " + Wire.describe(args));
    }

    private static boolean accepts(Class<?>[] params, Object[] args) {
        if (params.length != args.length) return false;
        for (int i = 0; i < params.length; i++) {
            Class<?> p = params[i].isPrimitive() ? box(params[i]) : params[i];
            if (args[i] == null ? params[i].isPrimitive() : !p.isInstance(args[i])) return false;
        }
        return true;
    }

    private static Class<?> box(Class<?> c) {
        return java.lang.invoke.MethodType.methodType(c).wrap().returnType();
    }

    private static Object invoke(Method m, Object self, Object[] args) throws Throwable {
        try {
            return m.invoke(self, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
