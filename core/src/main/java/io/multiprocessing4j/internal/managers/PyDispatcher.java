package io.multiprocessing4j.internal.managers;

import io.multiprocessing4j.serial.PickleCodec;
import io.multiprocessing4j.serial.PythonObject;
import io.multiprocessing4j.serial.Tuple;

import java.util.List;
import java.util.Map;

/**
 * The server's answers to CPython clients ({@code BaseManager(address, authkey).connect()}
 * in {@code python3}): CPython's manager protocol, on the same objects the Java clients
 * use. A request is the pickle of {@code (ident, method, args, kwds)}, a reply that of
 * {@code (kind, payload)}. A new connection makes one server call ({@code create},
 * {@code incref}, {@code decref}, {@code get_methods}, {@code debug_info},
 * {@code number_of_objects}, {@code dummy}, {@code shutdown}) unless that call is
 * {@code accept_connection}, which makes it the channel of one client thread's method calls.
 *
 * <p>Replies: {@code #RETURN} a result; {@code #ERROR} a Python exception the method raised
 * ({@link PyError}); {@code #TRACEBACK} the text of a refusal (unknown typeid or object, a
 * method not exposed, a bad server call); {@code #UNSERIALIZABLE} a result the pickle codec
 * cannot write; {@code #PROXY} {@code (exposed, Token)} for a dict's iterator. Object ids
 * are the table's, in hexadecimal, as CPython writes {@code id(obj)}. A CPython client's
 * references are counted in the table itself: like CPython's server, this one keeps an
 * object a client died holding until shutdown.
 */
final class PyDispatcher {
    private static final TypeSpec ITERATOR = new TypeSpec(PyTypes.ITERATOR, "iterator", null, null, null, false);

    private final Server server;
    private final PickleCodec codec;

    PyDispatcher(Server server) {
        this.server = server;
        this.codec = PickleCodec.standard().withDecoder("multiprocessing.managers", "RebuildProxy", this::referent);
    }

    /**
     * A proxy in a request: of an object of this server, that object itself (as CPython's
     * server unpickles its own proxies), so that a container stores the object and not a
     * reference its proxy's owner may drop; of another manager, kept as data.
     */
    private Object referent(PythonObject rebuild) {
        List<Object> a = rebuild.args();
        if (a.size() < 2 || !(a.get(1) instanceof PythonObject token) || !(token.state() instanceof List<?> s) || s.size() != 3) return rebuild;
        if (!pythonAddress(server.address()).equals(s.get(1)) || !(s.get(2) instanceof String hex)) return rebuild;
        ObjectTable.Entry e;
        try {
            e = server.table.get(Long.parseUnsignedLong(hex, 16));
        } catch (NumberFormatException x) {
            return rebuild;
        }
        return e != null ? e.referent : rebuild;
    }

    private static final class Refusal extends Exception {
        Refusal(String message) { super(message, null, false, false); }
    }

    /** The reply's bytes, or null when {@code msg} is not a request (the connection is then dropped). */
    byte[] handle(byte[] msg, Server.Channel ch) {
        Object ident, kwdsArg;
        String method;
        Tuple args;
        try {
            if (!(codec.decode(msg) instanceof List<?> r) || r.size() != 4 || !(r.get(1) instanceof String m)
                    || !(r.get(2) instanceof List<?> a) || !(r.get(3) == null || r.get(3) instanceof Map<?, ?>)) {
                return null;
            }
            ident = r.get(0);
            method = m;
            args = Tuple.copyOf(a);
            kwdsArg = r.get(3);
        } catch (Exception e) {
            return reply("#TRACEBACK", "cannot decode the request: " + e);
        }
        @SuppressWarnings("unchecked")
        Map<Object, Object> kwds = kwdsArg == null ? Map.of() : (Map<Object, Object>) kwdsArg;
        Object result;
        String kind = "#RETURN";
        try {
            if (!ch.python) {
                if (ident != null) throw new Refusal("a method call on a connection that did not accept_connection");
                result = serverCall(method, args, kwds, ch);
            } else {
                Object[] proxy = new Object[1];
                result = objectCall(ident, method, args, kwds, ch, proxy);
                if (proxy[0] != null) kind = "#PROXY";
            }
        } catch (Refusal e) {
            return reply("#TRACEBACK", e.getMessage());
        } catch (Throwable t) {
            if (!ch.python) return reply("#TRACEBACK", "Traceback (most recent call last):\n" + PyError.toPython(t).type().name() + ": " + t.getMessage());
            return reply("#ERROR", PyError.toPython(t));
        }
        try {
            return codec.encode(Tuple.of(kind, result));
        } catch (Exception e) {
            return reply("#UNSERIALIZABLE", "Traceback (most recent call last):\nTypeError: the result of " + method + "() cannot be pickled: " + e.getMessage());
        }
    }

    private Object serverCall(String method, Tuple a, Map<Object, Object> kwds, Server.Channel ch) throws Throwable {
        switch (method) {
            case "dummy": return null;
            case "accept_connection":
                ch.python = true;
                ch.session = server.newSession(0);
                ch.control = true; // locks its thread holds are let go when the connection ends
                return null;
            case "create": {
                if (a.isEmpty() || !(a.get(0) instanceof String typeid)) throw new Refusal("TypeError: create() needs a typeid");
                TypeSpec spec = server.registry.get(typeid);
                if (spec == null || spec.factory() == null) throw new Refusal("KeyError: '" + typeid + "' (not a typeid of this manager)");
                if (!PyTypes.serves(spec.kind())) throw new Refusal("TypeError: a Java manager does not serve typeid '" + typeid + "' (" + spec.kind() + ") to Python clients");
                Object referent = PyTypes.create(spec, Tuple.copyOf(a.subList(1, a.size())), kwds);
                ObjectTable.Entry e = server.table.add(spec, referent);
                return Tuple.of(Long.toHexString(e.id), Tuple.copyOf(PyTypes.exposed(e)));
            }
            case "incref":
                if (!server.table.incref(id(a.isEmpty() ? null : a.get(0)))) throw new Refusal("KeyError: " + PyRepr.of(a.get(0)));
                return null;
            case "decref":
                server.table.decref(id(a.isEmpty() ? null : a.get(0)));
                return null;
            case "get_methods": {
                if (a.isEmpty() || !(a.get(0) instanceof PythonObject t) || !(t.state() instanceof List<?> s) || s.size() != 3) {
                    throw new Refusal("TypeError: get_methods() needs a Token");
                }
                ObjectTable.Entry e = server.table.get(id(s.get(2)));
                if (e == null) throw new Refusal("KeyError: " + PyRepr.of(s.get(2)));
                return Tuple.copyOf(PyTypes.exposed(e));
            }
            case "number_of_objects": return server.table.size();
            case "debug_info": {
                StringBuilder b = new StringBuilder();
                for (ObjectTable.Entry e : server.table.entries()) {
                    b.append("  ").append(Long.toHexString(e.id)).append(":       refcount=").append(e.refs).append("\n    ")
                            .append(e.referent).append('\n');
                }
                return b.toString();
            }
            case "shutdown":
                ch.afterReply = () -> new Thread(server::shutdown, "mp4j-manager-shutdown").start();
                return null;
            default:
                throw new Refusal("AttributeError: the manager has no server call '" + method + "'");
        }
    }

    private static long id(Object ident) throws Refusal {
        if (!(ident instanceof String s)) throw new Refusal("KeyError: " + PyRepr.of(ident));
        try {
            return Long.parseUnsignedLong(s, 16);
        } catch (NumberFormatException e) {
            throw new Refusal("KeyError: " + PyRepr.of(ident));
        }
    }

    private Object objectCall(Object ident, String method, Tuple args, Map<Object, Object> kwds, Server.Channel ch, Object[] proxy) throws Throwable {
        ObjectTable.Entry e = server.table.get(id(ident));
        if (e == null) throw new Refusal("KeyError: " + PyRepr.of(ident) + " (no such object on this manager: freed, or never made here)");
        Map<String, PyOp> ops = PyTypes.ops(e.spec.kind());
        Object result;
        if (ops == null) { // a user type: its Java methods by name
            Op op = e.ops.get(method);
            if (op == null) return fallback(e, method);
            if (!kwds.isEmpty()) throw PyError.typeError(method + "() of a Java object takes no keyword arguments");
            result = op.call(e.referent, args.toArray());
        } else {
            PyOp op = ops.get(method);
            if (op == null) return fallback(e, method);
            PyCall call = new PyCall(method, args, kwds, new Owner(ch.session, 0));
            if (e.locked) {
                synchronized (e.referent) {
                    result = op.call(e.referent, call);
                }
            } else {
                result = op.call(e.referent, call);
            }
        }
        String typeid = PyTypes.resultTypeid(e.spec.kind(), method);
        if (typeid == null) return result;
        ObjectTable.Entry made = server.table.add(ITERATOR, result);
        proxy[0] = made;
        return Tuple.of(Tuple.copyOf(PyTypes.exposed(made)), token(PyTypes.ITERATOR, made.id));
    }

    /** CPython's fallbacks for methods a proxy may call whatever is exposed. */
    private Object fallback(ObjectTable.Entry e, String method) throws Refusal {
        return switch (method) {
            case "#GETVALUE" -> e.referent;
            case "__str__", "__repr__" -> PyRepr.of(e.referent);
            default -> throw new Refusal("AttributeError: method '" + method + "' of '" + e.spec.typeid() + "' object is not in exposed="
                    + PyRepr.of(Tuple.copyOf(PyTypes.exposed(e))));
        };
    }

    /** A {@code multiprocessing.managers.Token} as CPython pickles it: its state is {@code (typeid, address, id)}. */
    PythonObject token(String typeid, long id) {
        return PythonObject.create("multiprocessing.managers", "Token", Tuple.of(), Tuple.of(typeid, pythonAddress(server.address()), Long.toHexString(id)));
    }

    /** A manager address as CPython spells it: {@code (host, port)} or a socket path. */
    static Object pythonAddress(String address) {
        java.net.SocketAddress a = Addresses.parse(address);
        if (a instanceof java.net.InetSocketAddress i) return Tuple.of(i.getHostString(), i.getPort());
        return ((java.net.UnixDomainSocketAddress) a).getPath().toString();
    }

    private byte[] reply(String kind, Object payload) {
        try {
            return codec.encode(Tuple.of(kind, payload));
        } catch (Exception e) {
            throw new IllegalStateException("the pickle codec cannot write a " + payload.getClass().getName(), e);
        }
    }
}
