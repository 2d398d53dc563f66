"""Take away a process's ability to open network connections, for good.

Query workers evaluate SPARQL from anyone who can reach the endpoint, and Oxigraph answers
`SERVICE <url>` and `LOAD <url>` by making HTTP requests. Reading the query text for those
keywords cannot be made safe (SPARQL has comments, escapes and case rules that a text check will
misread), so each worker, before it opens the store, installs a seccomp filter that makes the
kernel refuse `socket()` (every address family) and io_uring (which can create sockets without
`socket()`). The filter is inherited by threads and child processes and cannot be removed. The
one socket a worker needs, to its server, is inherited already open.

Where seccomp is unavailable (not Linux, or an architecture this module does not know), the
worker moves into a new, empty network namespace instead (which needs the privilege to do so).
If neither works, `confine` raises: a worker that could reach the network does not start.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import platform
import socket
import struct

PR_SET_NO_NEW_PRIVS = 38
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2
CLONE_NEWNET = 0x40000000
CLONE_NEWUSER = 0x10000000

# BPF opcodes (linux/filter.h)
_LD_W_ABS = 0x20
_JEQ_K = 0x15
_JGE_K = 0x35
_RET_K = 0x06

_RET_ALLOW = 0x7FFF0000
_RET_ERRNO = 0x00050000

# (audit arch, syscalls to refuse, lowest number of a foreign ABI to refuse or None)
_ARCHES = {
    # x86_64: socket 41; io_uring_setup/enter/register 425-427; x32 syscalls have bit 30 set
    "x86_64": (0xC000003E, (41, 425, 426, 427), 0x40000000),
    # aarch64 (generic table): socket 198; io_uring 425-427
    "aarch64": (0xC00000B7, (198, 425, 426, 427), None),
}


class SandboxError(RuntimeError):
    """The process could not be confined; it must not evaluate queries."""


def _filter(arch: int, refused: tuple[int, ...], foreign_from: int | None, code: int) -> bytes:
    deny = _RET_ERRNO | code
    prog: list[tuple[int, int, int, int]] = [
        (_LD_W_ABS, 0, 0, 4),  # seccomp_data.arch
        (_JEQ_K, 1, 0, arch),
        (_RET_K, 0, 0, deny),  # another ABI (e.g. 32-bit int 0x80): refuse every call
        (_LD_W_ABS, 0, 0, 0),  # seccomp_data.nr
    ]
    if foreign_from is not None:
        prog += [(_JGE_K, 0, 1, foreign_from), (_RET_K, 0, 0, deny)]
    for nr in refused:
        prog += [(_JEQ_K, 0, 1, nr), (_RET_K, 0, 0, deny)]
    prog.append((_RET_K, 0, 0, _RET_ALLOW))
    return b"".join(struct.pack("HBBI", *ins) for ins in prog)


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)


def _seccomp() -> None:
    spec = _ARCHES.get(platform.machine())
    if spec is None or not platform.system() == "Linux":
        raise SandboxError(f"seccomp filter not available on {platform.system()} {platform.machine()}")
    code = _filter(*spec, errno.EACCES)
    buf = ctypes.create_string_buffer(code, len(code))

    class Prog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    prog = Prog(len(code) // 8, ctypes.addressof(buf))
    libc = _libc()
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise SandboxError(f"prctl(NO_NEW_PRIVS): {os.strerror(ctypes.get_errno())}")
    if libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(prog), 0, 0) != 0:
        raise SandboxError(f"prctl(SECCOMP): {os.strerror(ctypes.get_errno())}")


def _netns() -> None:
    libc = _libc()
    for flags in (CLONE_NEWNET, CLONE_NEWUSER | CLONE_NEWNET):
        if libc.unshare(flags) == 0:
            return
    raise SandboxError(f"unshare(CLONE_NEWNET): {os.strerror(ctypes.get_errno())}")


def network_reachable() -> bool:
    """True if this process can still create an Internet socket."""
    for family in (socket.AF_INET, socket.AF_INET6):
        try:
            s = socket.socket(family, socket.SOCK_STREAM)
        except OSError:
            continue
        try:
            s.connect(("127.0.0.1", 9) if family == socket.AF_INET else ("::1", 9))
        except OSError as err:
            if err.errno in (errno.ENETUNREACH, errno.EADDRNOTAVAIL):
                continue  # an empty namespace: no route anywhere
            return True
        finally:
            s.close()
        return True
    return False


def confine() -> str:
    """Cut this process off the network; returns how ("seccomp" or "netns"). Raises SandboxError."""
    errors = []
    for name, how in (("seccomp", _seccomp), ("netns", _netns)):
        try:
            how()
        except SandboxError as err:
            errors.append(f"{name}: {err}")
            continue
        if network_reachable():
            errors.append(f"{name}: installed, but a socket could still be opened")
            continue
        return name
    raise SandboxError("cannot cut the query worker off the network (" + "; ".join(errors) + ")")
