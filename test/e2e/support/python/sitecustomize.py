"""
Imported by Python at start-up when this directory is on PYTHONPATH (site's sitecustomize hook): the
Python counterpart of network-guard.js. Refuses, and reports on stderr on one marked line, every socket
connect, sendto and name lookup aimed anywhere but the loopback interface. Loopback traffic (the fake
Datadog agent, the fake X-Ray daemon) is unchanged. Unix sockets are local and left alone.
"""
import ipaddress
import json
import socket
import sys

_MARKER = "__E2E_NETWORK_REFUSED__"
_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


def _report(kind, target):
    sys.stderr.write(f"\n{_MARKER} {json.dumps({'kind': kind, 'target': str(target)})}\n")
    sys.stderr.flush()


def _is_loopback(host):
    if host is None:
        return False
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if host in _LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def _refuse_unless_loopback(sock, address):
    if sock.family not in (socket.AF_INET, socket.AF_INET6):
        return
    host, port = address[0], address[1]
    if not _is_loopback(host):
        # The same kinds and targets as network-guard.js reports.
        kind = "udp" if sock.type == socket.SOCK_DGRAM else "tcp"
        _report(kind, f"{host}:{port}")
        raise ConnectionRefusedError(f"e2e network guard: {kind} to {host}:{port} refused (only loopback is allowed)")


_connect = socket.socket.connect
_connect_ex = socket.socket.connect_ex
_sendto = socket.socket.sendto
_getaddrinfo = socket.getaddrinfo


def _guarded_connect(self, address):
    _refuse_unless_loopback(self, address)
    return _connect(self, address)


def _guarded_connect_ex(self, address):
    _refuse_unless_loopback(self, address)
    return _connect_ex(self, address)


def _guarded_sendto(self, data, *args):
    _refuse_unless_loopback(self, args[-1])
    return _sendto(self, data, *args)


def _is_ip_literal(host):
    try:
        ipaddress.ip_address((host.decode("ascii", "replace") if isinstance(host, bytes) else host).split("%")[0])
        return True
    except ValueError:
        return False


def _guarded_getaddrinfo(host, *args, **kwargs):
    # An address literal needs no lookup (connect decides about it); any other name but localhost is refused.
    if host is not None and not _is_loopback(host) and not _is_ip_literal(host):
        _report("dns", host)
        raise socket.gaierror(socket.EAI_NONAME, f"e2e network guard: lookup of {host} refused")
    return _getaddrinfo(host, *args, **kwargs)


socket.socket.connect = _guarded_connect
socket.socket.connect_ex = _guarded_connect_ex
socket.socket.sendto = _guarded_sendto
socket.getaddrinfo = _guarded_getaddrinfo
