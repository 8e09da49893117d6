package io.multiprocessing4j.managers;

/**
 * The proxy of a registered user type: Python's {@code AutoProxy}. {@link #call} calls an
 * exposed method by name; {@link #as} gives the same proxy as an interface of the user's,
 * each of whose methods is a call.
 */
public interface AutoProxy extends BaseProxy {

    /**
     * Python's {@code proxy._callmethod(name, args)}: calls {@code method} of the referent on
     * the server and returns a copy of its result (a proxy when the method is listed in
     * {@code methodToTypeid}). Waits as long as the method runs; no timeout of its own.
     *
     * @throws Exception what the method threw, as itself
     * @throws RemoteError when the method is not exposed, or its result cannot be encoded
     * @throws ManagerUnreachableException when the server is gone
     */
    Object call(String method, Object... args) throws Exception;

    /**
     * This proxy as {@code type}, an interface whose methods the referent has (and exposes):
     * each call goes to the server. A checked exception the method throws reaches the caller
     * when the interface method declares it, else inside a {@link RemoteError}.
     *
     * @throws IllegalArgumentException when {@code type} is not an interface
     */
    <T> T as(Class<T> type);
}
