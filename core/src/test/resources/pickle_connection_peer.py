"""CPython peer of PickleConnectionTest: objects over multiprocessing.connection with conn.send/recv.

usage:
  pickle_connection_peer.py server tcp|unix KEY_HEX|none
  pickle_connection_peer.py client tcp|unix ADDRESS KEY_HEX|none

The server listens (tcp: 127.0.0.1 on a free port; unix: a fresh path), prints
'READY <port or path>', prints 'GOT <repr>' of the first object it receives, answers each
object o with ('py', o) until it receives 'bye', then sends 'done' and prints 'OK'.
The client sends SAMPLE, expects ('java', SAMPLE) back (compared by repr: types, float
signs, dict order), sends 'bye', and prints 'OK' (or 'BAD <repr>').
An AuthenticationError prints 'AUTHERR <message>' and exits 3.
"""
import datetime
import decimal
import os
import sys
import shutil
import tempfile
import multiprocessing.connection as mc
from multiprocessing import AuthenticationError

SAMPLE = {
    'int': 1, 'big': 2**70, 'neg': -0.0, 'str': 'h\xe9\U0001F600', 'bytes': b'\x00\xff',
    'tuple': (1, None, True), 'list': [1.5, [2]], 'set': {3}, 'frozen': frozenset({4}),
    'when': datetime.datetime(2024, 1, 2, 3, 4, 5, 6), 'dec': decimal.Decimal('2.5'),
    'error': KeyError('k'), 'payload': bytes(range(256)) * 4096,
}


def main():
    role, family = sys.argv[1:3]
    key = sys.argv[-1]
    authkey = None if key == 'none' else bytes.fromhex(key)
    try:
        if role == 'server':
            sockdir = None
            if family == 'tcp':
                address, fam = ('127.0.0.1', 0), 'AF_INET'
            else:
                sockdir = tempfile.mkdtemp()
                address, fam = os.path.join(sockdir, 's'), 'AF_UNIX'
            try:
                with mc.Listener(address, family=fam, authkey=authkey) as listener:
                    a = listener.address
                    print('READY', a[1] if family == 'tcp' else a, flush=True)
                    with listener.accept() as conn:
                        first = True
                        while True:
                            o = conn.recv()
                            if first:
                                print('GOT', repr(o), flush=True)
                                first = False
                            if o == 'bye':
                                break
                            conn.send(('py', o))
                        conn.send('done')
            finally:
                if sockdir is not None:  # the directory is ours to remove; the listener removes its socket
                    shutil.rmtree(sockdir, ignore_errors=True)
        else:
            addr = sys.argv[3]
            a = ('127.0.0.1', int(addr)) if family == 'tcp' else addr
            with mc.Client(a, authkey=authkey) as conn:
                conn.send(SAMPLE)
                r = conn.recv()
                if repr(r) != repr(('java', SAMPLE)):
                    print('BAD', repr(r)[:2000], flush=True)
                    sys.exit(2)
                conn.send('bye')
        print('OK', flush=True)
    except AuthenticationError as e:
        print('AUTHERR', e, flush=True)
        sys.exit(3)


if __name__ == '__main__':
    main()
