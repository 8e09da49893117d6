"""Peer of ManagerPythonInteropTest: a CPython manager server, or a CPython client of a Java manager.

  serve KEYHEX              serve a SyncManager (plus get_shared, Counter) on 127.0.0.1; print PORT n; end on a STOP line or EOF
  client PORT KEYHEX        drive the manager at 127.0.0.1:PORT as a SyncManager client; print one line per check
  badkey PORT KEYHEX        connect with KEYHEX (a wrong key): print AUTHFAIL <type>
  gone PORT KEYHEX          connect, print READY, wait for GO, then call again: print GONE <type>
"""
import queue
import sys
import threading
from multiprocessing import AuthenticationError
from multiprocessing.managers import DictProxy, SyncManager

SHARED = {}


class Counter:
    def __init__(self, start=0):
        self.n = start

    def increment(self, by=1):
        self.n += by
        return self.n

    def value(self):
        return self.n

    def fail(self):
        raise LookupError("counter says no")


class Server(SyncManager):
    pass


Server.register('get_shared', callable=lambda: SHARED, proxytype=DictProxy)
Server.register('Counter', callable=Counter)


class Client(SyncManager):
    pass


Client.register('get_shared', proxytype=DictProxy)
Client.register('Counter')


def serve(key):
    m = Server(address=('127.0.0.1', 0), authkey=key)
    server = m.get_server()
    print('PORT', server.address[1], flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    for line in sys.stdin:
        if line.strip() == 'STOP':
            break


def out(*parts):
    print(*parts, flush=True)


def client(port, key):
    m = Client(address=('127.0.0.1', port), authkey=key)
    m.connect()
    d = m.dict({'a': 1})
    d['b'] = 2
    d.update(c=3)
    out('DICT', sorted(d.items()), len(d), 'a' in d, d.get('z', 'dflt'), d.setdefault('a', 9))
    try:
        d['missing']
    except KeyError as e:
        out('KEYERROR', repr(e.args))
    out('POPITEM', d.popitem(), 'POP', d.pop('a'), sorted(d.keys()), list(d))
    lst = m.list([3, 1, 2])
    lst.append(4)
    lst.sort()
    lst.extend([5])
    out('LIST', lst[:], lst[0], lst[-1], len(lst), lst[1:3], lst.index(3), lst.count(1), 5 in lst)
    del lst[0]
    lst[0] = 'x'
    out('LIST2', lst[:], lst.pop(), str(lst))
    try:
        lst[10]
    except IndexError as e:
        out('INDEXERROR', e)
    ns = m.Namespace(x=1)
    ns.y = 'two'
    out('NS', ns.x, ns.y)
    try:
        ns.z
    except AttributeError:
        out('NOATTR')
    q = m.Queue(2)
    q.put(1)
    q.put(2)
    try:
        q.put(3, timeout=0.05)
    except queue.Full:
        out('FULL', q.qsize(), q.full())
    out('GET', q.get(), q.get_nowait(), q.empty())
    try:
        q.get(timeout=0.05)
    except queue.Empty:
        out('EMPTY')
    jq = m.JoinableQueue()
    jq.put('job')
    jq.get()
    jq.task_done()
    jq.join()
    out('JOINED')
    lk = m.Lock()
    out('LOCK', lk.acquire(), lk.acquire(False), lk.acquire(True, 0.05))
    lk.release()
    try:
        lk.release()
    except RuntimeError:
        out('RELEASEERROR')
    rl = m.RLock()
    rl.acquire()
    rl.acquire()
    rl.release()
    rl.release()
    try:
        rl.release()
    except RuntimeError:
        out('RLOCKERROR')
    sem = m.BoundedSemaphore(1)
    sem.acquire()
    sem.release()
    try:
        sem.release()
    except ValueError:
        out('BOUNDED')
    ev = m.Event()
    out('EVENT', ev.is_set(), ev.wait(0.05))
    ev.set()
    out('EVENT2', ev.wait(5), ev.is_set())
    v = m.Value('i', 7)
    v.value += 1
    out('VALUE', v.value)
    c = m.Counter(5)
    c.increment()
    out('COUNTER', c.increment(10), c.value())
    s = m.get_shared()
    s['from_python'] = [1, 'two', 3.5, None, (1, 2), {'k': b'\x00\xff'}]
    s['list_proxy'] = lst
    out('SHARED', s.get('from_java'))
    out('DONE')


def badkey(port, key):
    m = Client(address=('127.0.0.1', port), authkey=key)
    try:
        m.connect()
        out('CONNECTED')
    except AuthenticationError as e:
        out('AUTHFAIL', type(e).__name__)


def gone(port, key):
    m = Client(address=('127.0.0.1', port), authkey=key)
    m.connect()
    d = m.dict()
    d['x'] = 1
    out('READY')
    sys.stdin.readline()
    try:
        d['x'] = 2
        out('STILL')
    except Exception as e:  # the server is gone: whatever the socket says
        out('GONE', type(e).__name__)


if __name__ == '__main__':
    mode = sys.argv[1]
    if mode == 'serve':
        serve(bytes.fromhex(sys.argv[2]))
    else:
        {'client': client, 'badkey': badkey, 'gone': gone}[mode](int(sys.argv[2]), bytes.fromhex(sys.argv[3]))
