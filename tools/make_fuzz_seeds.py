#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpus (fuzz/corpus/): at least one valid frame of every
control message type, on the side that decodes it, plus a header per type. The layout follows
common/protocol.h (little endian; header = magic u32, type u16, reserved u16, length u32);
tests/unit/fuzz_corpus_test.cpp checks every seed with netbench's own decoders.

    tools/make_fuzz_seeds.py            (rewrites fuzz/corpus/)
"""

from __future__ import annotations

import os
import struct

MAGIC = 0x3141424E
TYPES = {"hello": 1, "serve": 2, "connect": 3, "run": 4, "quit": 6, "stress_start": 7,
         "stress_stop": 8, "cpu": 9, "ok": 64, "error": 65, "samples": 66, "done": 67, "loop_done": 68}
RR, STREAM, UDP_RR, STREAM_REVERSE, CRR = 1, 2, 3, 4, 5


def frame(kind: str, payload: bytes = b"") -> bytes:
    return struct.pack("<IHHI", MAGIC, TYPES[kind], 0, len(payload)) + payload


BLOCKING, BUSY = 0, 1


def data(mode: int, msg: int = 64, write: int = 128 << 10, chunk: int = 1 << 20, streams: int = 1,
         poll: int = BLOCKING) -> bytes:
    return struct.pack("<BIIIBB", mode, msg, write, chunk, streams, poll)


def text(s: str) -> bytes:
    b = s.encode()
    return struct.pack("<I", len(b)) + b


COMMANDS = {
    "hello": frame("hello"),
    "serve_rr": frame("serve", struct.pack("<H", 7000) + data(RR)),
    "serve_stream": frame("serve", struct.pack("<H", 7001) + data(STREAM)),
    "connect_rr": frame("connect", struct.pack("<IH", 0xC6120202, 7000) + data(RR, 1024)),
    "connect_stream": frame("connect", struct.pack("<IH", 0xC6120202, 7001) + data(STREAM)),
    "serve_udp_rr": frame("serve", struct.pack("<H", 7002) + data(UDP_RR)),
    "connect_udp_rr": frame("connect", struct.pack("<IH", 0xC6120202, 7002) + data(UDP_RR)),
    "serve_stream_reverse": frame("serve", struct.pack("<H", 7003) + data(STREAM_REVERSE)),
    "connect_crr": frame("connect", struct.pack("<IH", 0xC6120202, 7004) + data(CRR)),
    "connect_streams_4": frame("connect", struct.pack("<IH", 0xC6120202, 7001) +
                               data(STREAM, streams=4)),
    "serve_rr_busy": frame("serve", struct.pack("<H", 7000) + data(RR, poll=BUSY)),
    "run": frame("run", struct.pack("<Q", 15000)),
    "stress_start": frame("stress_start", struct.pack("<II", 1, 100)),
    "stress_stop": frame("stress_stop"),
    "cpu": frame("cpu"),
    "quit": frame("quit"),
}
COMMANDS["session"] = b"".join(COMMANDS[k] for k in (
    "hello", "serve_rr", "connect_rr", "run", "stress_start", "cpu", "stress_stop", "quit"))

REPLIES = {
    "ok": frame("ok", text("nb-agent 2")),
    "ok_cpu": frame("ok", text("1234567 89012")),
    "error": frame("error", text("no stressor running")),
    "loop_done": frame("loop_done"),
    "samples": frame("samples", struct.pack("<I", 3) + struct.pack("<3Q", 31000, 29000, 30500)),
    "done": frame("done", struct.pack("<11Q", 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
}
REPLIES["run_reply"] = REPLIES["loop_done"] + REPLIES["samples"] + REPLIES["done"]

HEADERS = {f"header_{k}": frame(k)[:12] for k in TYPES}


def main() -> None:
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fuzz", "corpus")
    for target, seeds in (("agent_commands", COMMANDS), ("controller_replies", REPLIES),
                          ("frame_header", HEADERS)):
        d = os.path.join(root, target)
        os.makedirs(d, exist_ok=True)
        for name, blob in seeds.items():
            with open(os.path.join(d, name), "wb") as f:
                f.write(blob)


if __name__ == "__main__":
    main()
