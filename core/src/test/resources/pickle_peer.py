"""CPython peer of the pickle codec's tests: python3's own pickle module as the oracle.

Reads commands from stdin, one a line, and answers each with one line on stdout:
  VALUES <proto>        the hex of pickle.dumps(VALUES, proto)
  CHECK <hex>           loads the pickle and compares it with VALUES, strictly (types,
                        float bits, dict order, shared and self references): 'OK' or 'DIFF ...'
  DUMP <proto> <expr>   the hex of pickle.dumps(eval(expr), proto); proto -1: the default
  TEST <hex> <expr>     loads the pickle as x and prints repr(eval(expr)), or 'ERR <type> <message>'
  ECHO <hex>            loads the pickle and dumps it again with the default protocol
VALUES mirrors PicklePythonTest.VALUES on the Java side, item by item.
"""
import array
import collections
import datetime as dt
import decimal
import math
import pickle
import struct
import sys


class Point:
    """A class the Java side has no mapping for: it travels as a PythonObject."""
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __eq__(self, other):
        return type(other) is Point and (self.x, self.y) == (other.x, other.y)

    __hash__ = object.__hash__  # by identity, as a plain object's


def nan_with_payload():
    return struct.unpack('>d', bytes.fromhex('7ff8000000000123'))[0]


def tz(minutes):
    return dt.timezone(dt.timedelta(minutes=minutes))


def graph():
    shared = [1]
    me = []
    me.append(me)
    d = {}
    d['self'] = d
    return [shared, shared, me, d]


VALUES = [
    None, True, False,
    0, 1, -1, 255, 256, 65535, 65536, 2**31 - 1, -2**31, 2**31, -2**31 - 1, 2**63 - 1, -2**63, 2**63, -(2**100), 10**40,
    0.0, -0.0, 1.5, -2.25e-300, 5e-324, math.inf, -math.inf, math.nan, nan_with_payload(),
    '', 'ascii', 'h\xe9', '\u65e5\u672c', '\U0001F600', 'a\ud800b', 'nul\x00 back\\slash \n line',
    b'', b'\x00\xff\x10', bytes(range(256)) * 2, bytearray(b'ab'), bytearray(),
    (), (1,), (1, 2), (1, 2, 3), (1, 2, 3, 4), [], [1, [2, [3, ()]]], {},
    {'b': 1, 'a': 2, 3: 'c', (1, 2): None, None: [1.5]}, set(), {1, 'x', (2, 3)}, frozenset(), frozenset({1, 2}),
    dt.datetime(2024, 2, 29, 23, 59, 59, 999999), dt.datetime(1, 1, 1), dt.datetime(9999, 12, 31, 23, 59, 59),
    dt.datetime(2024, 5, 6, 7, 8, 9, 10, tzinfo=tz(330)), dt.datetime(2000, 1, 1, tzinfo=tz(-480)),
    dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc),
    dt.date(2024, 2, 29), dt.time(0, 0), dt.time(23, 59, 59, 1), dt.time(12, 0, tzinfo=tz(60)),
    dt.timedelta(0), dt.timedelta(days=-3, seconds=5, microseconds=6), dt.timedelta(days=999999999),
    decimal.Decimal('3.14159'), decimal.Decimal('-1E+10'), decimal.Decimal('0.000'),
    complex(1.5, -2), complex(0, -0.0),
    array.array('i', [1, -2, 2**31 - 1]), array.array('q', [2**62, -1]), array.array('d', [0.5, -0.0]),
    array.array('f', [1.5]), array.array('h', [-3, 32767]),
    Point(1, 'two'), KeyError('missing'),
    graph(),
]


def same(a, b, path='v'):
    """None when a and b are the same value, with the same types; else where they differ."""
    if type(a) is not type(b):
        return f'{path}: type {type(a).__name__} != {type(b).__name__}'
    if isinstance(a, float):
        return None if struct.pack('>d', a) == struct.pack('>d', b) else f'{path}: {a!r} != {b!r} (bits)'
    if isinstance(a, complex):
        return same(a.real, b.real, path + '.real') or same(a.imag, b.imag, path + '.imag')
    if isinstance(a, (list, tuple)):
        if len(a) != len(b):
            return f'{path}: length {len(a)} != {len(b)}'
        for i, (x, y) in enumerate(zip(a, b)):
            d = same(x, y, f'{path}[{i}]')
            if d:
                return d
        return None
    if isinstance(a, dict):
        if list(a) != list(b):
            return f'{path}: keys {list(a)!r} != {list(b)!r}'
        for k in a:
            d = same(a[k], b[k], f'{path}[{k!r}]')
            if d:
                return d
        return None
    if isinstance(a, array.array):
        return None if a.typecode == b.typecode and same(a.tolist(), b.tolist()) is None else f'{path}: {a!r} != {b!r}'
    if isinstance(a, dt.datetime) or isinstance(a, dt.time):
        return None if a == b and a.utcoffset() == b.utcoffset() else f'{path}: {a!r} != {b!r}'
    if isinstance(a, BaseException):
        return None if a.args == b.args else f'{path}: {a!r} != {b!r}'
    return None if a == b else f'{path}: {a!r} != {b!r}'


def same_values(got):
    if type(got) is not list or len(got) != len(VALUES):
        return f'not a list of {len(VALUES)}: {type(got).__name__}'
    d = same(VALUES[:-1], got[:-1])
    if d:
        return d
    g = got[-1]
    if not (g[0] == [1] and g[0] is g[1]):
        return 'graph: the shared list is not shared'
    if not (len(g[2]) == 1 and g[2][0] is g[2]):
        return 'graph: the list does not contain itself'
    if not (list(g[3]) == ['self'] and g[3]['self'] is g[3]):
        return 'graph: the dict does not contain itself'
    return None


def main():
    for line in sys.stdin:
        cmd, _, rest = line.rstrip('\n').partition(' ')
        try:
            if cmd == 'VALUES':
                out = pickle.dumps(VALUES, int(rest)).hex()
            elif cmd == 'CHECK':
                d = same_values(pickle.loads(bytes.fromhex(rest)))
                out = 'OK' if d is None else 'DIFF ' + d
            elif cmd == 'DUMP':
                proto, _, expr = rest.partition(' ')
                p = int(proto)
                out = pickle.dumps(eval(expr), None if p < 0 else p).hex()
            elif cmd == 'TEST':
                h, _, expr = rest.partition(' ')
                x = pickle.loads(bytes.fromhex(h))
                out = repr(eval(expr, globals(), {'x': x}))
            elif cmd == 'ECHO':
                out = pickle.dumps(pickle.loads(bytes.fromhex(rest))).hex()
            else:
                out = 'ERR unknown command ' + cmd
        except Exception as e:
            out = f'ERR {type(e).__name__} {e}'.replace('\n', ' ')
        print(out, flush=True)


if __name__ == '__main__':
    main()
