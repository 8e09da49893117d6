package io.multiprocessing4j.internal.managers;

import io.multiprocessing4j.internal.os.Handoff;

import java.io.ObjectStreamException;
import java.io.Serial;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * What names a managed object across processes: Python's {@code Token(typeid, address, id)},
 * plus what a receiving process needs to build the proxy (its kind and exposed methods).
 * A proxy travels as its token: decoding one builds a proxy again in the receiving process,
 * which takes its own reference on the server ({@link #readResolve}).
 *
 * <p>{@code given} marks a token in a server's reply whose reference the server already
 * counted for the receiving client, so that client adopts it without a round trip. The
 * authkey travels only to a child being started (as Python sends it only while spawning);
 * elsewhere the receiver uses a key it knows for the address, else its process's authkey.
 */
final class Token implements Serializable {
    @Serial private static final long serialVersionUID = 1L;

    /** How tokens become objects while a thread decodes: set by the server and the client around their decoding. */
    interface Scope {
        Object resolve(Token t) throws ObjectStreamException;
    }

    static final ThreadLocal<Scope> SCOPE = new ThreadLocal<>();

    final String typeid;
    final String address;
    final long id;
    final String kind;          // which proxy class: see Proxies
    final List<String> exposed; // the methods the server will call
    final boolean given;
    final byte[] authkey;       // null unless sent to a child being started

    Token(String typeid, String address, long id, String kind, List<String> exposed, boolean given, byte[] authkey) {
        this.typeid = Objects.requireNonNull(typeid);
        this.address = Objects.requireNonNull(address);
        this.id = id;
        this.kind = Objects.requireNonNull(kind);
        this.exposed = List.copyOf(exposed);
        this.given = given;
        this.authkey = authkey;
    }

    /** This token as it travels from a client: not given, with the key only for a child being started. */
    Token forTransfer(byte[] key) {
        return new Token(typeid, address, id, kind, exposed, false, Handoff.recipient() != null ? key : null);
    }

    Token given() { return new Token(typeid, address, id, kind, exposed, true, null); }

    @Serial
    private Object readResolve() throws ObjectStreamException {
        Scope s = SCOPE.get();
        if (s != null) return s.resolve(this);
        return ClientSession.resolve(this, null);
    }

    @Override
    public String toString() { return "Token(typeid='" + typeid + "', address=" + address + ", id=" + id + ")"; }
}
