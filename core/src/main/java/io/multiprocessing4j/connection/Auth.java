package io.multiprocessing4j.connection;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The HMAC challenge–response of Python's {@code multiprocessing.connection}
 * ({@code deliver_challenge} / {@code answer_challenge}), wire-compatible with CPython 3.12+
 * and, through its legacy branch, with 3.11 and older.
 *
 * <p>Authentication is mutual: a server ({@link Listener#accept()}) delivers a challenge and
 * then answers one; a client ({@link Client#connect}) answers and then delivers. Every
 * handshake message is read with a limit of {@value #MAX_HANDSHAKE} bytes, refused from its
 * header before its body is read, and only ever compared as bytes: nothing is decoded or
 * deserialized before both sides have proved they hold the key.
 *
 * <pre>
 * server → client   "#CHALLENGE#" + "{sha256}" + 40 random bytes          (59 bytes)
 * client → server   "{sha256}" + HMAC-SHA256(key, "{sha256}" + random)    (40 bytes)
 *                   or, from CPython ≤ 3.11, raw HMAC-MD5(key, same)     (16 bytes)
 * server → client   "#WELCOME#" or "#FAILURE#"
 * </pre>
 * A reply may name any digest this JVM has of {@code md5, sha256, sha384, sha3_256,
 * sha3_384}; the MAC covers the challenge's prefix too, so it cannot be downgraded. As the
 * answering side, a 20-byte (legacy) challenge gets a raw HMAC-MD5 and a {@code {d}}-prefixed
 * one gets {@code {d}} + HMAC-d. MACs are compared in constant time.
 *
 * <p>An empty key is legal, as in CPython 3.13 ({@code authkey=b''}); HMAC pads keys with
 * zeros.
 */
final class Auth {
    private Auth() {}

    /** The longest handshake message read: longer ones are refused unread. */
    public static final int MAX_HANDSHAKE = 256;

    static final byte[] CHALLENGE = ascii("#CHALLENGE#");
    static final byte[] WELCOME = ascii("#WELCOME#");
    static final byte[] FAILURE = ascii("#FAILURE#");

    /** Length of the random part of a challenge (CPython 3.12+). */
    static final int MESSAGE_LENGTH = 40;
    /** Length of a legacy (CPython ≤ 3.11) challenge, and the shortest one answered. */
    static final int MD5ONLY_MESSAGE_LENGTH = 20;
    static final int MD5_DIGEST_LENGTH = 16;
    static final String DEFAULT_DIGEST = "sha256";

    /** A digest CPython names: the JDK's name for it and HMAC's block size in bytes (for SHA-3, its rate). */
    private record Digest(String jdk, int block) {}

    private static final Map<String, Digest> DIGESTS = new LinkedHashMap<>();
    static {
        DIGESTS.put("md5", new Digest("MD5", 64));
        DIGESTS.put("sha256", new Digest("SHA-256", 64));
        DIGESTS.put("sha384", new Digest("SHA-384", 128));
        DIGESTS.put("sha3_256", new Digest("SHA3-256", 136));
        DIGESTS.put("sha3_384", new Digest("SHA3-384", 104));
    }
    private static final int MAX_DIGEST_NAME = 8; // "sha3_384"
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The digest names CPython allows and this JVM can compute. */
    public static Set<String> digests() {
        Set<String> s = new java.util.LinkedHashSet<>();
        for (String d : DIGESTS.keySet()) if (available(d)) s.add(d);
        return s;
    }

    private static boolean available(String digest) {
        try {
            MessageDigest.getInstance(DIGESTS.get(digest).jdk());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /**
     * The server's half: sends a {@code {sha256}} challenge, checks the reply, answers
     * {@code #WELCOME#} or {@code #FAILURE#}.
     *
     * @throws AuthenticationException "digest received was wrong" (after sending {@code #FAILURE#}),
     *         or when a handshake message is longer than {@value #MAX_HANDSHAKE} bytes
     */
    public static void deliverChallenge(Connection c, byte[] authkey) throws IOException {
        deliverChallenge(c, authkey, DEFAULT_DIGEST);
    }

    /** {@link #deliverChallenge(Connection, byte[])} with another digest for the challenge's prefix. */
    public static void deliverChallenge(Connection c, byte[] authkey, String digest) throws IOException {
        Objects.requireNonNull(authkey, "authkey");
        if (!DIGESTS.containsKey(digest)) {
            throw new IllegalArgumentException("unsupported digest " + digest + ", not in " + DIGESTS.keySet());
        }
        byte[] random = new byte[MESSAGE_LENGTH];
        RANDOM.nextBytes(random);
        byte[] message = concat(ascii("{" + digest + "}"), random);
        c.sendBytes(concat(CHALLENGE, message));
        byte[] response = receive(c);
        if (verify(authkey, message, response)) {
            c.sendBytes(WELCOME);
        } else {
            c.sendBytes(FAILURE);
            throw new AuthenticationException("digest received was wrong");
        }
    }

    /**
     * The client's half: answers the peer's challenge in the form it was asked and expects
     * {@code #WELCOME#}.
     *
     * @throws AuthenticationException "digest sent was rejected", or when the challenge is
     *         malformed, names a digest this JVM lacks, or is longer than {@value #MAX_HANDSHAKE} bytes
     */
    public static void answerChallenge(Connection c, byte[] authkey) throws IOException {
        Objects.requireNonNull(authkey, "authkey");
        byte[] frame = receive(c);
        if (!startsWith(frame, CHALLENGE)) {
            throw new AuthenticationException("protocol error, expected a challenge, got " + frame.length + " bytes");
        }
        byte[] message = Arrays.copyOfRange(frame, CHALLENGE.length, frame.length);
        if (message.length < MD5ONLY_MESSAGE_LENGTH) {
            throw new AuthenticationException("challenge too short: " + message.length + " bytes");
        }
        c.sendBytes(response(authkey, message));
        byte[] answer = receive(c);
        if (!Arrays.equals(answer, WELCOME)) throw new AuthenticationException("digest sent was rejected");
    }

    /** The reply to {@code message} (the challenge without {@code #CHALLENGE#}), as CPython 3.12's {@code _create_response}. */
    static byte[] response(byte[] authkey, byte[] message) throws AuthenticationException {
        Parsed p = parse(message);
        if (p == null) throw new AuthenticationException("unsupported challenge: missing digest prefix or unknown digest");
        String digest = p.digest;
        if (digest.isEmpty()) {
            if (available("md5")) return hmac("md5", authkey, message);
            digest = DEFAULT_DIGEST; // no MD5 here (FIPS): a legacy server will refuse, as CPython's does
        }
        if (!available(digest)) throw new AuthenticationException("digest " + digest + " unsupported by this JVM");
        return concat(ascii("{" + digest + "}"), hmac(digest, authkey, message));
    }

    /** Whether {@code response} is a right reply to {@code message}, compared in constant time. */
    static boolean verify(byte[] authkey, byte[] message, byte[] response) {
        Parsed p = parse(response);
        if (p == null) return false;
        String digest = p.digest.isEmpty() ? "md5" : p.digest;
        if (!available(digest)) return false;
        byte[] expected = hmac(digest, authkey, message);
        return expected.length == p.payload.length && MessageDigest.isEqual(expected, p.payload);
    }

    private record Parsed(String digest, byte[] payload) {}

    /** CPython's {@code _get_digest_name_and_payload}: "" for the legacy (16 or 20 byte) forms; null when malformed. */
    private static Parsed parse(byte[] m) {
        if (m.length == MD5ONLY_MESSAGE_LENGTH || m.length == MD5_DIGEST_LENGTH) return new Parsed("", m);
        if (m.length > 0 && m[0] == '{') {
            int end = Math.min(m.length, MAX_DIGEST_NAME + 2);
            for (int i = 1; i < end; i++) {
                if (m[i] == '}') {
                    String name = new String(m, 1, i - 1, StandardCharsets.US_ASCII);
                    if (!DIGESTS.containsKey(name)) return null;
                    return new Parsed(name, Arrays.copyOfRange(m, i + 1, m.length));
                }
            }
        }
        return null;
    }

    // HMAC (RFC 2104) over the JDK's MessageDigest, as CPython's hmac module computes it over
    // hashlib: javax.crypto.Mac would load the SunJCE provider, ~20 ms more of a fresh child's
    // first connection to a manager.
    static byte[] hmac(String digest, byte[] key, byte[] message) {
        Digest d = DIGESTS.get(digest);
        try {
            MessageDigest md = MessageDigest.getInstance(d.jdk());
            byte[] pad = Arrays.copyOf(key.length > d.block() ? md.digest(key) : key, d.block()); // zero-padded
            for (int i = 0; i < pad.length; i++) pad[i] ^= 0x36;
            md.update(pad);
            byte[] inner = md.digest(message);
            for (int i = 0; i < pad.length; i++) pad[i] ^= 0x36 ^ 0x5c;
            md.update(pad);
            return md.digest(inner);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-" + digest + " unavailable", e);
        }
    }

    /** One handshake message, refused from its header when longer than {@value #MAX_HANDSHAKE} bytes. */
    private static byte[] receive(Connection c) throws IOException {
        try {
            return c.recvBytes(MAX_HANDSHAKE);
        } catch (EOFException | InterruptedIOException | AuthenticationException e) {
            throw e;
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("bad message length")) {
                AuthenticationException a = new AuthenticationException(
                        "handshake message refused: longer than " + MAX_HANDSHAKE + " bytes (bad message length)");
                a.initCause(e);
                throw a;
            }
            throw e;
        }
    }

    private static boolean startsWith(byte[] a, byte[] prefix) {
        return a.length >= prefix.length && Arrays.equals(a, 0, prefix.length, prefix, 0, prefix.length);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static byte[] ascii(String s) { return s.getBytes(StandardCharsets.US_ASCII); }

    static List<String> knownDigests() { return List.copyOf(DIGESTS.keySet()); }
}
