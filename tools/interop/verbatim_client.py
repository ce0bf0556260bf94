#!/usr/bin/env python3
"""A second, independent client of the Verbatim wire protocol, written from
docs/PROTOCOL.md and proto/verbatim/v1/*.proto alone: the standard library only
(sockets, struct) and a hand-written protobuf encoding of the few fields it needs.

It proves the page is enough to interoperate; the Swift test suite runs it against a
real daemon (Tests/VerbatimServerTests/InteropTests.swift).

    verbatim_client.py --port 7450 get L/3282 12
    verbatim_client.py --port 7450 stream L/3282
    verbatim_client.py --port 7450 check DOC COUNT   # the interop scenario, JSON out
"""
import argparse
import json
import socket
import struct
import sys

REQUEST, RESPONSE, STATUS, CANCEL, PING, GOAWAY, SETTINGS = range(1, 8)
GET_PARAGRAPH, STREAM_DOCUMENT, HEALTH = 1, 4, 10


# ---- protobuf, the parts used here ----

def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def field_string(number, text):
    data = text.encode("utf-8")
    return varint(number << 3 | 2) + varint(len(data)) + data


def field_uint(number, value):
    return varint(number << 3 | 0) + varint(value)


def decode(data):
    """A message's fields: {number: [values]}; varints as int, length-delimited as bytes."""
    fields = {}
    i = 0
    while i < len(data):
        key, i = read_varint(data, i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, i = read_varint(data, i)
        elif wire == 2:
            size, i = read_varint(data, i)
            value, i = data[i:i + size], i + size
        elif wire == 1:
            value, i = data[i:i + 8], i + 8
        elif wire == 5:
            value, i = data[i:i + 4], i + 4
        else:
            raise ValueError("wire type %d" % wire)
        fields.setdefault(number, []).append(value)
    return fields


def read_varint(data, i):
    shift = value = 0
    while True:
        b = data[i]
        i += 1
        value |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return value, i


def paragraph(data):
    """The Paragraph fields a citation needs (records.proto)."""
    f = decode(data)
    text = lambda n: f[n][0].decode("utf-8") if n in f else ""
    return {"number": f.get(4, [0])[0], "text": text(5), "citation": text(9)}


# ---- framing (PROTOCOL.md §1-2) ----

class Connection:
    def __init__(self, host, port):
        self.sock = socket.create_connection((host, port), timeout=30)
        self.buffer = b""
        self.sock.sendall(b"VERBATIM" + struct.pack(">HH", 1, 0))
        kind, flags, stream, payload = self.read_frame()
        if kind != SETTINGS:
            raise RuntimeError("expected SETTINGS, got frame type %d" % kind)
        self.settings = {}
        for i in range(0, len(payload), 6):
            ident, value = struct.unpack(">HI", payload[i:i + 6])
            self.settings[ident] = value

    def frame(self, kind, stream, payload, flags=0):
        return struct.pack(">IBBI", len(payload), kind, flags, stream) + payload

    def request(self, stream, method, message, deadline_ms=0):
        return self.frame(REQUEST, stream, struct.pack(">HI", method, deadline_ms) + message)

    def read_exactly(self, n):
        while len(self.buffer) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError("the server closed the connection")
            self.buffer += chunk
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def read_frame(self):
        length, kind, flags, stream = struct.unpack(">IBBI", self.read_exactly(10))
        return kind, flags, stream, self.read_exactly(length)

    def calls(self, requests):
        """Sends every (stream, method, message) at once (pipelined), then reads until each
        has its STATUS. Returns {stream: (responses, code, message)}; frames of different
        calls may interleave and come in any order."""
        self.sock.sendall(b"".join(self.request(s, m, body) for s, m, body in requests))
        results = {s: ([], None, None) for s, _, _ in requests}
        open_calls = set(results)
        while open_calls:
            kind, flags, stream, payload = self.read_frame()
            if kind == RESPONSE:
                results[stream][0].append(payload)
            elif kind == STATUS:
                code = struct.unpack(">I", payload[:4])[0]
                results[stream] = (results[stream][0], code, payload[4:].decode("utf-8"))
                open_calls.discard(stream)
            elif kind == GOAWAY:
                raise RuntimeError("GOAWAY: %r" % payload)
        return results

    def ping(self, data=b"interop!"):
        self.sock.sendall(self.frame(PING, 0, data))
        while True:
            kind, flags, stream, payload = self.read_frame()
            if kind == PING and flags & 1:
                return payload


def get_request(document, number):
    return field_string(1, document) + field_uint(2, number)


def check(conn, document, count):
    """Pipelined GetParagraph for every paragraph plus one past the end, a whole-document
    stream and Health, all in one burst on odd stream ids; then a PING."""
    requests = [(2 * n - 1, GET_PARAGRAPH, get_request(document, n)) for n in range(1, count + 2)]
    stream_id = 2 * (count + 2) - 1
    requests.append((stream_id, STREAM_DOCUMENT, field_string(1, document)))
    requests.append((stream_id + 2, HEALTH, b""))
    results = conn.calls(requests)
    out = {"settings": {str(k): v for k, v in conn.settings.items()}, "get": [], "stream": None}
    for n in range(1, count + 2):
        responses, code, message = results[2 * n - 1]
        answer = decode(responses[0]) if responses else {}
        para = paragraph(answer[1][0]) if 1 in answer else None
        out["get"].append({"number": n, "code": code, "message": message, "paragraph": para})
    responses, code, message = results[stream_id]
    out["stream"] = {"code": code, "paragraphs": [paragraph(r) for r in responses]}
    responses, code, _ = results[stream_id + 2]
    health = decode(responses[0]) if responses else {}
    out["health"] = {"code": code, "status": health.get(1, [0])[0], "schema": health.get(2, [0])[0]}
    out["ping"] = conn.ping().decode("ascii")
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=7450)
    parser.add_argument("command", choices=["get", "stream", "check"])
    parser.add_argument("document")
    parser.add_argument("number", type=int, nargs="?", default=0)
    args = parser.parse_args()
    conn = Connection(args.host, args.port)
    if args.command == "check":
        print(json.dumps(check(conn, args.document, args.number), ensure_ascii=False))
        return 0
    if args.command == "get":
        responses, code, message = conn.calls([(1, GET_PARAGRAPH, get_request(args.document, args.number))])[1]
    else:
        responses, code, message = conn.calls([(1, STREAM_DOCUMENT, field_string(1, args.document))])[1]
    if code != 0:
        print("error: status %d: %s" % (code, message), file=sys.stderr)
        return 1
    for r in responses:
        p = paragraph(decode(r)[1][0]) if args.command == "get" else paragraph(r)
        print("%s  %s" % (p["citation"], p["text"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
