package io.multiprocessing4j.internal.managers;

import io.multiprocessing4j.function.SerializableRunnable;
import io.multiprocessing4j.managers.AutoProxy;
import io.multiprocessing4j.managers.RemoteError;
import io.multiprocessing4j.managers.SharedMemoryManager;
import io.multiprocessing4j.shm.ShareableList;
import io.multiprocessing4j.shm.SharedMemory;

import java.io.IOException;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;

/** A {@link SharedMemoryManager}: the server creates the blocks ({@link SharedMemoryBlocks}), the client attaches them by name. */
public final class SharedMemoryManagerImpl extends BaseManagerImpl implements SharedMemoryManager {

    /** See {@link BaseManagerImpl#BaseManagerImpl(ManagerHost, SocketAddress, byte[])}. */
    public SharedMemoryManagerImpl(ManagerHost launcher, SocketAddress address, byte[] authkey) {
        super(launcher, address, authkey);
        register("SharedMemory", SharedMemoryBlocks::sharedMemory, List.of("name"), null, true);
        register("ShareableList", SharedMemoryBlocks::shareableList, List.of("name"), null, true);
    }

    @Override String typeName() { return "SharedMemoryManager"; }

    @Override public SharedMemoryManager start() throws IOException { super.start(); return this; }

    @Override public SharedMemoryManager start(SerializableRunnable initializer) throws IOException { super.start(initializer); return this; }

    @Override public SharedMemoryManager connect() throws IOException { super.connect(); return this; }

    @Override
    public SharedMemory sharedMemory(long size) throws IOException {
        if (size <= 0) throw new IllegalArgumentException("'size' must be a positive integer");
        return SharedMemory.attach(blockName("SharedMemory", size));
    }

    @Override
    public ShareableList shareableList(List<?> items) throws IOException {
        return ShareableList.attach(blockName("ShareableList", new ArrayList<>(items)));
    }

    /** Has the server create a block and returns its name; the proxy goes at once, the block stays with the server. */
    private String blockName(String typeid, Object arg) throws IOException {
        try (AutoProxy p = (AutoProxy) create(typeid, arg)) {
            return (String) p.call("name");
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new RemoteError(typeid + " failed on the manager: " + e, e);
        }
    }
}
