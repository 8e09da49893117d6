package io.multiprocessing4j.internal.managers;

import java.io.Serial;
import java.io.Serializable;
import java.lang.ref.Cleaner;

/**
 * A proxy as it lives inside its own server: what a client stored in a managed container
 * (Python's nested proxy). It holds one reference, dropped when it is garbage-collected,
 * and travels back to a client as a token whose reference the server counted for that
 * client, so the client's proxy needs no extra round trip.
 */
final class ServerRef implements Serializable {
    @Serial private static final long serialVersionUID = 1L;
    private static final Cleaner CLEANER = Cleaner.create(r -> Thread.ofPlatform().daemon().name("mp4j-manager-refs").unstarted(r));

    /** The session a reply is being encoded for, on the thread that encodes it. */
    static final ThreadLocal<ServerSession> GIVE_TO = new ThreadLocal<>();

    private final transient Token token;
    private final transient ObjectTable table;

    /** Takes over a reference that the caller has counted in {@code table}. */
    ServerRef(Token token, ObjectTable table) {
        this.token = token;
        this.table = table;
        long id = token.id;
        CLEANER.register(this, () -> table.decref(id));
    }

    long id() { return token.id; }

    /** The object this stands for, which this reference keeps alive. */
    Object referent() {
        ObjectTable.Entry e = table.get(token.id);
        if (e == null) throw new IllegalStateException("object " + token.id + " was freed");
        return e.referent;
    }

    @Serial
    private Object writeReplace() {
        ServerSession s = GIVE_TO.get();
        if (s != null && s.incref(token.id)) return token.given();
        return new Token(token.typeid, token.address, token.id, token.kind, token.exposed, false, null);
    }

    @Override
    public boolean equals(Object o) { return o instanceof ServerRef r && r.token.id == token.id; }

    @Override
    public int hashCode() { return Long.hashCode(token.id); }

    @Override
    public String toString() { return "<" + token.typeid + " proxy, id " + token.id + ">"; }
}
