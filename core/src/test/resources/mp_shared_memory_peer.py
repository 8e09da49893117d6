"""Python peer for the Java shared-memory interop tests (SharedMemoryPythonInteropTest).

Usage: mp_shared_memory_peer.py COMMAND [ARG]. Prints result lines on stdout; where a
command says "waits", it reads one line from stdin before going on.

  attach-shm NAME     attach, print SIZE and the first 16 bytes, write b'python wrote' at 16
  attach-list NAME    attach a ShareableList, print ITEMS and FORMAT, change some items
  create-shm SIZE     create, write b'from python' at 0 (cut to SIZE), print NAME, wait, print bytes 16..28, unlink
  create-shm-leave SIZE  create, write, print NAME, exit without unlinking (Java unlinks)
  create-list         create a ShareableList, print NAME and FORMAT, wait, print ITEMS, unlink
  dump-reference      print the hex of ShareableList([7, 2.5, 'hé', b'ab', None, True])
"""
import sys
from multiprocessing import resource_tracker, shared_memory

# The Java side owns these blocks' lifetime. Python registers every create and every
# attach with its resource tracker, which would unlink Java's blocks (and warn) when this
# process exits; 3.11/3.12 have no track=False, and ShareableList never passes it. So keep
# the tracker out altogether: no tracker process is started either.
resource_tracker.register = lambda name, rtype: None
resource_tracker.unregister = lambda name, rtype: None


created = []  # unlinked if this script fails, so a failed test leaves nothing in /dev/shm


def out(*parts):
    print(*parts, flush=True)


def wait():
    if not sys.stdin.readline():
        raise SystemExit("stdin closed before GO")


def main(cmd, arg=None):
    if cmd == "attach-shm":
        shm = shared_memory.SharedMemory(name=arg)
        out("SIZE", shm.size)
        out("READ", bytes(shm.buf[:16]).hex())
        shm.buf[16:28] = b"python wrote"
        shm.close()
        out("OK")
    elif cmd == "attach-list":
        sl = shared_memory.ShareableList(name=arg)
        out("ITEMS", repr(list(sl)))
        out("FORMAT", sl.format)
        sl[0] = sl[0] * 2
        sl[1] = "py"
        sl[3] = b"xy"
        sl[4] = 3.25
        sl[5] = False
        sl[6] = "ありがとう"
        sl.shm.close()
        out("OK")
    elif cmd in ("create-shm", "create-shm-leave"):
        shm = shared_memory.SharedMemory(create=True, size=int(arg))
        created.append(shm)
        data = b"from python"[:shm.size]
        shm.buf[:len(data)] = data
        out("NAME", shm.name)
        if cmd == "create-shm-leave":
            shm.close()
            return
        wait()
        out("READ", bytes(shm.buf[16:28]).hex())
        shm.close()
        shm.unlink()
        out("OK")
    elif cmd == "create-list":
        sl = shared_memory.ShareableList([42, -1.5, "héllo", b"raw", None, True, "x" * 10])
        created.append(sl.shm)
        out("NAME", sl.shm.name)
        out("FORMAT", sl.format)
        wait()
        out("ITEMS", repr(list(sl)))
        sl.shm.close()
        sl.shm.unlink()
        out("OK")
    elif cmd == "dump-reference":
        sl = shared_memory.ShareableList([7, 2.5, "hé", b"ab", None, True])
        created.append(sl.shm)
        out("HEX", bytes(sl.shm.buf).hex())
        sl.shm.close()
        sl.shm.unlink()
    else:
        raise SystemExit("unknown command " + cmd)


if __name__ == "__main__":
    try:
        main(*sys.argv[1:])
    except BaseException:
        for shm in created:
            try:
                shm.unlink()
            except FileNotFoundError:
                pass
        raise
