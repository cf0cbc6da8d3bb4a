#!/usr/bin/env python3
"""Holds listening sockets with a known number of unaccepted connections until killed.

    hold_sockets.py unix PATH BACKLOG QUEUED [tcp PORT BACKLOG QUEUED]...

Prints "ready" on stdout once every connection is queued. Loopback only; exits by itself after
15 minutes at the latest.
"""
import os
import signal
import socket
import sys
import time

keep = []
args = sys.argv[1:]
while args:
    kind, where, backlog, queued = args[0], args[1], int(args[2]), int(args[3])
    args = args[4:]
    if kind == "unix":
        if os.path.exists(where):
            os.unlink(where)
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(where)
        os.chmod(where, 0o666)
        address, family = where, socket.AF_UNIX
    else:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", int(where)))
        address, family = ("127.0.0.1", int(where)), socket.AF_INET
    listener.listen(backlog)
    keep.append(listener)
    for _ in range(queued):
        client = socket.socket(family, socket.SOCK_STREAM)
        client.settimeout(5)
        client.connect(address)
        keep.append(client)

signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
print("ready", flush=True)
time.sleep(900)
