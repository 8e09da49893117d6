/**
 * Python's {@code multiprocessing.managers}: a server process that holds objects, and
 * proxies through which other processes (children, or unrelated JVMs that know the address
 * and the authkey) use them. {@link io.multiprocessing4j.managers.SyncManager} (from
 * {@code ctx.manager()}) makes dicts, lists, sets, namespaces, values and arrays;
 * {@link io.multiprocessing4j.managers.BaseManager} (from {@code ctx.baseManager(address, key)})
 * serves the user's own types, {@link io.multiprocessing4j.managers.SharedMemoryManager} hands
 * out shared memory blocks that its server owns. The proxies are interfaces extending the JDK's collection
 * types, so code written against {@code Map} or {@code List} takes them. The server and the
 * proxies' implementation are not part of the API.
 */
package io.multiprocessing4j.managers;
