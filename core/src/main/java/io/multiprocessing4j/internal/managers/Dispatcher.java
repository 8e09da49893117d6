package io.multiprocessing4j.internal.managers;

import io.multiprocessing4j.process.RemoteException;
import io.multiprocessing4j.connection.Pipe;
import io.multiprocessing4j.internal.connection.ShmPipe;
import io.multiprocessing4j.internal.shm.Heap;

import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectStreamException;
import java.io.StreamCorruptedException;
import java.util.Arrays;
import java.util.List;

/**
 * What the server does with one request: the server's own calls (object id 0) and the
 * calls of managed objects' methods, each answered with a reply of {@link Wire}. Refusals
 * (unknown typeid or object, a method not exposed, arguments that cannot be decoded)
 * become {@code TRACEBACK} replies and what a referent throws an {@code ERROR} reply; the
 * connection and the server go on either way.
 */
final class Dispatcher {
    private final Server server;

    Dispatcher(Server server) { this.server = server; }

    /** A request the server refuses: its message goes back as a {@code TRACEBACK} reply. */
    private static final class Refusal extends Exception {
        Refusal(String message) { super(message, null, false, false); }
    }

    /** What a token becomes when this server decodes it: a stand-in for its own objects, else a proxy. */
    Object resolve(Token t) throws ObjectStreamException {
        if (!t.address.equals(server.address())) return ClientSession.resolve(t, null);
        if (!server.table.incref(t.id)) throw new InvalidObjectException("a proxy of object " + t.id + " that this manager freed");
        return new ServerRef(t, server.table);
    }

    /** The reply's bytes, or null when {@code msg} is not a request (the connection is then dropped). */
    byte[] handle(byte[] msg, Server.Channel ch) {
        Wire.Request r;
        try {
            r = server.wire.request(msg);
        } catch (StreamCorruptedException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            return refusal("cannot decode the arguments of a request: " + e);
        }
        Object result;
        try {
            result = r.id() == 0 ? serverCall(r.method(), r.args(), ch) : objectCall(r, ch);
        } catch (Refusal e) {
            return refusal(e.getMessage());
        } catch (Throwable t) {
            return error(t);
        }
        try {
            return server.wire.reply(Wire.RETURN, result);
        } catch (IOException | RuntimeException e) {
            return reply(Wire.UNSERIALIZABLE, "the result of " + r.method() + "() cannot be encoded: " + e.getMessage());
        }
    }

    private Object objectCall(Wire.Request r, Server.Channel ch) throws Throwable {
        ObjectTable.Entry e = server.table.get(r.id());
        if (e == null) throw new Refusal("no object " + r.id() + " on the manager at " + server.address() + " (freed, or never made here)");
        Op op = e.ops.get(r.method());
        if (op == null) {
            switch (r.method()) {
                case "#getvalue": return e.referent;
                case "#str": return String.valueOf(e.referent);
                default: throw new Refusal("method '" + r.method() + "' of typeid '" + e.spec.typeid() + "' is not exposed");
            }
        }
        Object result;
        if (e.locked) {
            synchronized (e.referent) {
                result = op.call(e.referent, r.args());
            }
        } else {
            Object[] args = e.spec.kind().equals("pool") ? PoolBuiltins.unpack(r.args(), server.wire.codec()) : r.args();
            result = op.call(e.referent, args);
        }
        String typeid = e.spec.methodToTypeid().get(r.method());
        if (typeid == null || result == null) return result;
        TypeSpec spec = server.registry.get(typeid);
        if (spec == null) throw new Refusal("method '" + r.method() + "' returns typeid '" + typeid + "', which is not registered");
        return manage(spec, result, ch);
    }

    private Object serverCall(String method, Object[] a, Server.Channel ch) throws Throwable {
        switch (method) {
            case "dummy": return null;
            case "numberOfObjects": return server.table.size();
            case "hello": {
                if (ch.session != null) throw new Refusal("this connection has a session already");
                ch.session = server.newSession(((Number) a[0]).longValue());
                ch.control = true;
                return ch.session.id;
            }
            case "join": {
                if (ch.session != null) throw new Refusal("this connection has a session already");
                ServerSession s = server.session(((Number) a[0]).longValue());
                if (s == null) throw new Refusal("no session " + a[0]);
                ch.session = s;
                s.addChannel(ch.conn);
                return null;
            }
            case "pipe": return pipe(session(ch), ch);
            case "create": {
                if (a.length == 0 || !(a[0] instanceof String typeid)) throw new Refusal("create needs a typeid");
                TypeSpec spec = server.registry.get(typeid);
                if (spec == null || spec.factory() == null) throw new Refusal("unknown typeid '" + typeid + "'");
                session(ch);
                return manage(spec, spec.factory().create(Arrays.copyOfRange(a, 1, a.length)), ch);
            }
            case "incref": {
                if (!session(ch).incref(((Number) a[0]).longValue())) throw new Refusal("no object " + a[0] + " on the manager at " + server.address());
                return null;
            }
            case "decref": session(ch).decref(((Number) a[0]).longValue()); return null;
            case "getMethods": {
                ObjectTable.Entry e = server.table.get(((Number) a[0]).longValue());
                if (e == null) throw new Refusal("no object " + a[0]);
                return exposed(e);
            }
            case "debugInfo": return debugInfo();
            case "shutdown": ch.afterReply = () -> new Thread(server::shutdown, "mp4j-manager-shutdown").start(); return null;
            default: throw new Refusal("unknown server method '" + method + "'");
        }
    }

    private ServerSession session(Server.Channel ch) throws Refusal {
        if (ch.session == null) throw new Refusal("no session on this connection: say hello first");
        return ch.session;
    }

    /** Makes {@code referent} a managed object whose one reference the caller's session holds, and names it. */
    private Token manage(TypeSpec spec, Object referent, Server.Channel ch) throws Refusal {
        if (!SyncBuiltins.fits(spec.kind(), referent)) {
            throw new Refusal("typeid '" + spec.typeid() + "' hands out " + spec.kind() + " proxies, so its factory must return what the manager's factoryOf(...) "
                    + "of that kind makes, not " + (referent == null ? "null" : "a " + referent.getClass().getName()));
        }
        ServerSession s = session(ch);
        ObjectTable.Entry e = server.table.add(spec, referent);
        s.adopt(e.id);
        return new Token(spec.typeid(), server.address(), e.id, spec.kind(), exposed(e), true, null);
    }

    private static List<String> exposed(ObjectTable.Entry e) {
        return e.builtin ? List.copyOf(e.ops.keySet()) : Reflect.names(e.referent.getClass(), e.spec.exposed());
    }

    /** A shared-memory channel for a client on this machine: its end goes back in the reply. */
    private Object pipe(ServerSession session, Server.Channel ch) {
        Heap heap = server.heap();
        Pipe p = ShmPipe.create(heap, true, Server.PIPE_CAPACITY, io.multiprocessing4j.serial.Codec.defaultCodec());
        Server.Channel pc = new Server.Channel(p.conn1(), session);
        session.addChannel(p.conn1());
        server.startThread(() -> {
            boolean eof = server.serve(pc);
            session.removeChannel(p.conn1());
            if (eof && !server.isStopping()) ShmPipe.free(p, heap); // the client's end is closed or dead
            else Server.quietClose(p.conn1());
        });
        ch.afterReply = () -> Server.quietClose(p.conn2()); // the reply holds the client's copy by then
        return p.conn2();
    }

    private String debugInfo() {
        StringBuilder b = new StringBuilder("manager at ").append(server.address()).append(": ")
                .append(server.table.size()).append(" objects\n");
        for (ObjectTable.Entry e : server.table.entries()) {
            b.append("  ").append(e.id).append(": ").append(e.spec.typeid()).append(", refcount=").append(e.refs).append('\n');
        }
        for (ServerSession s : server.sessions()) {
            b.append("  session ").append(s.id).append(" (pid ").append(s.pid).append("): ").append(s.references()).append(" references\n");
        }
        return b.toString();
    }

    private byte[] refusal(String message) { return reply(Wire.TRACEBACK, message); }

    private byte[] error(Throwable t) {
        try {
            return server.wire.reply(Wire.ERROR, t);
        } catch (IOException | RuntimeException e) {
            return reply(Wire.ERROR, RemoteException.of(t));
        }
    }

    private byte[] reply(byte kind, Object payload) {
        try {
            return server.wire.reply(kind, payload);
        } catch (IOException e) {
            throw new IllegalStateException("the codec cannot encode a " + payload.getClass().getName(), e);
        }
    }
}
