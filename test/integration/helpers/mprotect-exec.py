#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""mprotect(PROT_READ|PROT_EXEC) of an anonymous page mapped with those very protections: no
execute permission is gained, so PR_SET_MDWE lets it through, and systemd 252's seccomp rule for
MemoryDenyWriteExecute refuses it. Prints "mprotect RC ERRNO"."""
import ctypes
import mmap

libc = ctypes.CDLL(None, use_errno=True)
libc.mmap.restype = ctypes.c_void_p
libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
libc.mprotect.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
prot = mmap.PROT_READ | mmap.PROT_EXEC
page = libc.mmap(None, mmap.PAGESIZE, prot, mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS, -1, 0)
rc = libc.mprotect(page, mmap.PAGESIZE, prot)
print('mprotect', rc, ctypes.get_errno())
