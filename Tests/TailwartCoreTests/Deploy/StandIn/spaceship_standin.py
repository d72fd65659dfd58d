#!/usr/bin/env python3
"""A local stand-in for Spaceship's DNS records API, for tailwart's tests.

It implements the documented behaviour the tests rely on, on 127.0.0.1 at an
ephemeral port it prints as the first line of its output:

- GET    /api/v1/dns/records/{domain}?take=N&skip=M  one page ({"items", "total"}),
         take from 1 to 500;
- PUT    /api/v1/dns/records/{domain}  {"force": true, "items": [...]}: a record's
         identity is its type, name and data; an item with new data is added,
         one whose data is live only has its TTL updated; nothing is changed or
         removed otherwise; one invalid item refuses the whole request (422);
- DELETE /api/v1/dns/records/{domain}  a bare array of identities;
- 401 unless X-Api-Key and X-Api-Secret match;
- GET /_requests: every request so far ("METHOD path"), for the tests.

Failures on purpose: --fail METHOD:N answers the Nth request of METHOD with a
500 and changes nothing; --hang METHOD:N sleeps --hang-seconds before it.

It stops when its standard input closes, so it never outlives the test that
started it, whatever happens to that test.
"""

import argparse
import json
import re
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

FIELDS = {
    "A": ["address"],
    "AAAA": ["address"],
    "CNAME": ["cname"],
    "MX": ["exchange", "preference"],
    "TXT": ["value"],
    "SRV": ["service", "protocol", "priority", "weight", "port", "target"],
    "CAA": ["flag", "tag", "value"],
}
HOST = re.compile(r"^(?=.{1,253}$)([A-Za-z0-9_]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$")
NAME = re.compile(r"^(@|\*|[A-Za-z0-9_*]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)*)$")
TXT_MAX = 2048


def identity(item):
    kind = item.get("type")
    key = [kind, str(item.get("name", "")).lower()]
    for field in FIELDS.get(kind, []):
        value = item.get(field)
        key.append(value.lower() if isinstance(value, str) and field != "value" else value)
    return json.dumps(key)


def problems(item, index, with_ttl):
    """What the documented item constraints refuse in `item`."""
    out = []

    def refuse(field, details):
        out.append({"field": f"items[{index}].{field}", "details": details})

    kind = item.get("type")
    if kind not in FIELDS:
        refuse("type", "unknown record type")
        return out
    name = item.get("name")
    if not isinstance(name, str) or not NAME.match(name) or name.endswith("."):
        refuse("name", "The domain name contains invalid characters")
    if with_ttl:
        ttl = item.get("ttl")
        if not isinstance(ttl, int) or not 60 <= ttl <= 3600:
            refuse("ttl", "must be between 60 and 3600")
    for field in FIELDS[kind]:
        if field not in item:
            refuse(field, "is required")
    if out:
        return out
    if kind in ("A", "AAAA") and not isinstance(item["address"], str):
        refuse("address", "must be an address")
    if kind == "CNAME" and not HOST.match(str(item["cname"])):
        refuse("cname", "must be a host name")
    if kind == "MX":
        if not isinstance(item["preference"], int) or not 0 <= item["preference"] <= 65535:
            refuse("preference", "must be between 0 and 65535")
        if not HOST.match(str(item["exchange"])):
            refuse("exchange", "must be a host name")
    if kind == "TXT" and not 1 <= len(str(item["value"]).encode()) <= TXT_MAX:
        refuse("value", f"length must be between 1 and {TXT_MAX}")
    if kind == "SRV":
        if not isinstance(item["port"], int) or not 1 <= item["port"] <= 65535:
            refuse("port", "must be between 1 and 65535")
        if not HOST.match(str(item["target"])):
            refuse("target", "must be a host name")
        for field in ("priority", "weight"):
            if not isinstance(item[field], int) or not 0 <= item[field] <= 65535:
                refuse(field, "must be between 0 and 65535")
    if kind == "CAA":
        if item["flag"] not in (0, 128):
            refuse("flag", "must be 0 or 128")
        if item["tag"] not in ("issue", "issuewild", "iodef"):
            refuse("tag", "must be issue, issuewild or iodef")
    return out


class Zone:
    def __init__(self, items):
        self.lock = threading.Lock()
        self.items = items
        self.requests = []
        self.counts = {}


def handler_for(zone, args):
    prefix = f"/api/v1/dns/records/{args.domain}"
    fail = dict(f.split(":") for f in args.fail)
    hang = dict(h.split(":") for h in args.hang)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            pass

        def answer(self, status, body=None):
            data = b"" if body is None else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Length", str(len(data)))
            if data:
                self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(data)

        def body(self):
            length = int(self.headers.get("Content-Length") or 0)
            return json.loads(self.rfile.read(length) or b"null")

        def handle_any(self, method):
            url = urlparse(self.path)
            payload = self.body() if method in ("PUT", "DELETE") else None
            if url.path == "/_requests":
                with zone.lock:
                    return self.answer(200, zone.requests)
            with zone.lock:
                zone.requests.append(f"{method} {self.path}")
                zone.counts[method] = zone.counts.get(method, 0) + 1
                count = zone.counts[method]
            if url.path != prefix:
                return self.answer(404, {"detail": "not found"})
            if self.headers.get("X-Api-Key") != args.key or self.headers.get("X-Api-Secret") != args.secret:
                return self.answer(401, {"detail": "Unauthorized"})
            if hang.get(method) == str(count):
                time.sleep(args.hang_seconds)
            if fail.get(method) == str(count):
                return self.answer(500, {"detail": "internal error"})
            with zone.lock:
                if method == "GET":
                    query = parse_qs(url.query)
                    try:
                        take = int(query.get("take", ["0"])[0])
                        skip = int(query.get("skip", ["0"])[0])
                    except ValueError:
                        take, skip = 0, -1
                    if not 1 <= take <= 500 or skip < 0:
                        return self.answer(422, {"detail": "take must be 1 to 500, skip 0 or more"})
                    return self.answer(200, {"items": zone.items[skip:skip + take], "total": len(zone.items)})
                if method == "PUT":
                    items = (payload or {}).get("items")
                    if not isinstance(items, list) or not 1 <= len(items) <= 500:
                        return self.answer(422, {"detail": "items: 1 to 500 records"})
                    found = [p for i, item in enumerate(items) for p in problems(item, i, True)]
                    if found:
                        return self.answer(422, {"detail": "validation failed", "data": found})
                    live = {identity(item): item for item in zone.items}
                    for item in items:
                        current = live.get(identity(item))
                        if current is not None:
                            current["ttl"] = item["ttl"]
                        else:
                            added = dict(item)
                            added["group"] = {"type": "custom"}
                            zone.items.append(added)
                            live[identity(added)] = added
                    return self.answer(204)
                if method == "DELETE":
                    if not isinstance(payload, list) or not 1 <= len(payload) <= 500:
                        return self.answer(422, {"detail": "a list of 1 to 500 records"})
                    found = [p for i, item in enumerate(payload) for p in problems(item, i, False)]
                    if found:
                        return self.answer(422, {"detail": "validation failed", "data": found})
                    gone = {identity(item) for item in payload}
                    zone.items = [item for item in zone.items if identity(item) not in gone]
                    return self.answer(204)
            return self.answer(405, {"detail": "method not allowed"})

        def do_GET(self):
            self.handle_any("GET")

        def do_PUT(self):
            self.handle_any("PUT")

        def do_DELETE(self):
            self.handle_any("DELETE")

    return Handler


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--domain", required=True)
    parser.add_argument("--records", required=True, help="a listing to start from ({items, total})")
    parser.add_argument("--key", required=True)
    parser.add_argument("--secret", required=True)
    parser.add_argument("--fail", action="append", default=[], help="METHOD:N")
    parser.add_argument("--hang", action="append", default=[], help="METHOD:N")
    parser.add_argument("--hang-seconds", type=float, default=5)
    args = parser.parse_args()
    with open(args.records) as f:
        items = json.load(f)["items"]
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(Zone(items), args))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(server.server_address[1], flush=True)
    sys.stdin.read()  # returns when the test closes our input, or dies
    server.shutdown()


if __name__ == "__main__":
    main()
