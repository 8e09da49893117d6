"""CPython peer for PythonInteropTest: multiprocessing.connection's own Listener and Client.

usage:
  mp_connection_peer.py server tcp|unix ADDRESS|- KEY_HEX|none legacy|modern
  mp_connection_peer.py client tcp|unix ADDRESS KEY_HEX|none legacy|modern

ADDRESS: 'port' (127.0.0.1) for tcp, a path for unix; '-' lets the server choose.
'legacy' uses the interpreter's own handshake (3.11: HMAC-MD5 on a 20-byte challenge);
'modern' swaps in CPython 3.12's deliver_challenge/answer_challenge (below, as in
Lib/multiprocessing/connection.py of 3.12), so a 3.11 interpreter also speaks {sha256}.

The server prints 'READY <port or path>', echoes each message as b'py:' + message until
b'bye', then sends b'done' and prints 'OK'. The client sends b'hello', b'', 1 MiB and
b'bye', checks each echo (b'java:' + message) and the final b'done', then prints 'OK'.
An AuthenticationError prints 'AUTHERR <message>' and exits 3.
"""
import hmac
import os
import sys
import multiprocessing.connection as mc
from multiprocessing import AuthenticationError

_MD5ONLY_MESSAGE_LENGTH = 20
_MD5_DIGEST_LEN = 16
_LEGACY_LENGTHS = (_MD5ONLY_MESSAGE_LENGTH, _MD5_DIGEST_LEN)
_ALLOWED_DIGESTS = frozenset({b'md5', b'sha256', b'sha384', b'sha3_256', b'sha3_384'})
_MAX_DIGEST_LEN = max(len(_) for _ in _ALLOWED_DIGESTS)
_CHALLENGE = b'#CHALLENGE#'
_WELCOME = b'#WELCOME#'
_FAILURE = b'#FAILURE#'


def _get_digest_name_and_payload(message):
    if len(message) in _LEGACY_LENGTHS:
        return '', message
    if (message.startswith(b'{') and
            (curly := message.find(b'}', 1, _MAX_DIGEST_LEN + 2)) > 0):
        digest = message[1:curly]
        if digest in _ALLOWED_DIGESTS:
            return digest.decode('ascii'), message[curly + 1:]
    raise AuthenticationError('unsupported message length, missing digest prefix, '
                              f'or unsupported digest: {message=}')


def _create_response(authkey, message):
    digest_name = _get_digest_name_and_payload(message)[0]
    if not digest_name:
        return hmac.new(authkey, message, 'md5').digest()
    response = hmac.new(authkey, message, digest_name).digest()
    return b'{%s}%s' % (digest_name.encode('ascii'), response)


def _verify_challenge(authkey, message, response):
    response_digest, response_mac = _get_digest_name_and_payload(response)
    response_digest = response_digest or 'md5'
    expected = hmac.new(authkey, message, response_digest).digest()
    if len(expected) != len(response_mac):
        raise AuthenticationError(f'expected {response_digest!r} of length {len(expected)} '
                                  f'got {len(response_mac)}')
    if not hmac.compare_digest(expected, response_mac):
        raise AuthenticationError('digest received was wrong')


def deliver_challenge(connection, authkey, digest_name='sha256'):
    message = b'{%s}%s' % (digest_name.encode('ascii'), os.urandom(40))
    connection.send_bytes(_CHALLENGE + message)
    response = connection.recv_bytes(256)
    try:
        _verify_challenge(authkey, message, response)
    except AuthenticationError:
        connection.send_bytes(_FAILURE)
        raise
    else:
        connection.send_bytes(_WELCOME)


def answer_challenge(connection, authkey):
    message = connection.recv_bytes(256)
    if not message.startswith(_CHALLENGE):
        raise AuthenticationError(f'Protocol error, expected challenge: {message=}')
    message = message[len(_CHALLENGE):]
    if len(message) < _MD5ONLY_MESSAGE_LENGTH:
        raise AuthenticationError(f'challenge too short: {len(message)} bytes')
    connection.send_bytes(_create_response(authkey, message))
    response = connection.recv_bytes(256)
    if response != _WELCOME:
        raise AuthenticationError('digest sent was rejected')


def address(family, text):
    if family == 'tcp':
        return ('127.0.0.1', 0 if text == '-' else int(text))
    return None if text == '-' else text


def main():
    role, family, addr, key, flavour = sys.argv[1:6]
    authkey = None if key == 'none' else bytes.fromhex(key)
    if flavour == 'modern':
        mc.deliver_challenge = deliver_challenge
        mc.answer_challenge = answer_challenge
    try:
        if role == 'server':
            fam = 'AF_INET' if family == 'tcp' else 'AF_UNIX'
            with mc.Listener(address(family, addr), family=fam, authkey=authkey) as listener:
                a = listener.address
                print('READY', a[1] if family == 'tcp' else a, flush=True)
                with listener.accept() as conn:
                    while True:
                        m = conn.recv_bytes()
                        if m == b'bye':
                            break
                        conn.send_bytes(b'py:' + m)
                    conn.send_bytes(b'done')
        else:
            a = ('127.0.0.1', int(addr)) if family == 'tcp' else addr
            with mc.Client(a, authkey=authkey) as conn:
                for m in (b'hello', b'', bytes(range(256)) * 4096):
                    conn.send_bytes(m)
                    r = conn.recv_bytes()
                    assert r == b'java:' + m, (len(r), r[:20])
                conn.send_bytes(b'bye')
                assert conn.recv_bytes() == b'done'
        print('OK', flush=True)
    except AuthenticationError as e:
        print('AUTHERR', e, flush=True)
        sys.exit(3)


if __name__ == '__main__':
    main()
