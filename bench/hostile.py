#!/usr/bin/env python3
"""SIP senders of bench/hostile.sh (python3 standard library only).

SIPp cannot build a REGISTER with a number of Contacts given at run time,
nor the amplification MESSAGE, and its TCP mode shares one socket between
calls; these senders do exactly what the benchmark needs and nothing else:

  register  REGISTERs with many Contacts (new bindings or refreshes)
  mark      one OPTIONS, the benchmark's callgrind marker
  amp       amplification MESSAGEs, one at a time (each waits for its
            final response): status codes and latency per request
  flood     amplification MESSAGEs at a fixed rate for a fixed time, not
            waiting for earlier ones (the attacker of the liveness check)
  profile   the functions of a callgrind dump by their own instructions,
            and the push module's by inclusive ones (callgrind_annotate
            3.19 puts all of a dump of this Kamailio under
            __libc_start_main)

Every request is sent from 127.0.0.2 (the proxy's trusted network) from a
local port in --lports, so that the benchmark stays in its port range.
There are no retransmissions: on loopback nothing is lost, and under
valgrind a retransmission would be counted as work of the proxy. Every wait
is bounded by --timeout (per request) or by the flood's duration.
Exit status 0 when every request got the expected final response, 1
otherwise, 2 on a usage or socket error.
"""

import argparse
import errno
import os
import re
import selectors
import socket
import sys
import time

SRC = "127.0.0.2"
FEATURE = '+g.oma.pusheventapp="mms.ua"'
MMS = "application/vnd.wap.mms-message"


# ---- feature parameters -----------------------------------------------------

def binding_ranges(n):
    """The +u.x value of a binding: n disjoint ranges #1:2,#5:6,..."""
    return ",".join("#%d:%d" % (1 + 4 * i, 2 + 4 * i) for i in range(n))


def accept_values(values, ranges):
    """values Accept-Contact values of ranges disjoint ranges each, all
    disjoint from each other and from the bindings' (numbers 100 on: three
    digits, so a value of 28 ranges is 251 bytes, under the module's 256)."""
    out = []
    for v in range(values):
        rs = []
        for r in range(ranges):
            lo = 100 + 2 * (v * ranges + r)
            rs.append("#%d:%d" % (lo, lo + 1))
        out.append('*;+u.x="%s"' % ",".join(rs))
    return out


# ---- transport --------------------------------------------------------------

class Ports:
    """Local ports from a range, each handed out once per process (a TCP
    port just closed may still be in TIME_WAIT)."""

    def __init__(self, spec):
        lo, hi = (int(x) for x in spec.split(":"))
        self.next, self.hi = lo, hi

    def bind(self, sock):
        while self.next <= self.hi:
            p = self.next
            self.next += 1
            try:
                sock.bind((SRC, p))
                return p
            except OSError as e:
                if e.errno != errno.EADDRINUSE:
                    raise
        raise OSError("no free local port left in the range")


def split_messages(buf):
    """Complete SIP messages at the start of a stream buffer (by
    Content-Length), and the rest."""
    msgs = []
    while True:
        end = buf.find(b"\r\n\r\n")
        if end < 0:
            return msgs, buf
        m = re.search(rb"\r\n(?:Content-Length|l)[ \t]*:[ \t]*(\d+)",
                      buf[:end + 2], re.I)
        total = end + 4 + (int(m.group(1)) if m else 0)
        if len(buf) < total:
            return msgs, buf
        msgs.append(buf[:total])
        buf = buf[total:]


def status_of(msg):
    m = re.match(rb"SIP/2\.0 (\d{3})", msg)
    return int(m.group(1)) if m else None


def callid_of(msg):
    m = re.search(rb"\r\n(?:Call-ID|i)[ \t]*:[ \t]*([^\r\n]+)", msg, re.I)
    return m.group(1).strip().decode("latin-1") if m else None


class Conn:
    """One socket to the proxy: UDP (one datagram a message) or TCP (a
    stream, split by Content-Length)."""

    def __init__(self, args, ports):
        self.tcp = args.proto == "tcp"
        self.sock = socket.socket(socket.AF_INET,
                                  socket.SOCK_STREAM if self.tcp else socket.SOCK_DGRAM)
        if not self.tcp:
            # a 300-Contact REGISTER's reply lists every binding (~30 kB)
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
        self.lport = ports.bind(self.sock)
        self.dst = ("127.0.0.1", args.port)
        if self.tcp:
            self.sock.settimeout(args.timeout)
            self.sock.connect(self.dst)
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""
        self.pending = 0

    def via(self, branch):
        return "SIP/2.0/%s %s:%d;branch=%s;rport" % (
            "TCP" if self.tcp else "UDP", SRC, self.lport, branch)

    def send(self, data):
        if self.tcp:
            self.sock.sendall(data)
        else:
            self.sock.sendto(data, self.dst)

    def read(self):
        """Messages available now (call when readable)."""
        if self.tcp:
            data = self.sock.recv(1 << 16)
            if not data:
                raise ConnectionError("connection closed by the proxy")
            msgs, self.buf = split_messages(self.buf + data)
            return msgs
        data, _ = self.sock.recvfrom(1 << 17)
        return [data]

    def close(self):
        self.sock.close()


def transaction(conn, req, callid, timeout):
    """Send req, wait for its final response: (status, seconds) or
    (None, seconds) when none came within timeout."""
    t0 = time.monotonic()
    conn.send(req)
    sel = selectors.DefaultSelector()
    sel.register(conn.sock, selectors.EVENT_READ)
    try:
        while True:
            left = timeout - (time.monotonic() - t0)
            if left <= 0 or not sel.select(left):
                return None, time.monotonic() - t0
            for msg in conn.read():
                st = status_of(msg)
                if st is not None and st >= 200 and callid_of(msg) == callid:
                    return st, time.monotonic() - t0
    finally:
        sel.close()


# ---- requests ---------------------------------------------------------------

RUN = os.urandom(3).hex()


def build(method, ruri, via, aor, callid, cseq, headers=(), body=b""):
    lines = ["%s %s SIP/2.0" % (method, ruri),
             "Via: " + via,
             "Max-Forwards: 70",
             "From: <sip:%s>;tag=%s" % (aor, os.urandom(4).hex()),
             "To: <sip:%s>" % aor,
             "Call-ID: " + callid,
             "CSeq: %d %s" % (cseq, method)]
    lines += list(headers)
    lines.append("Content-Length: %d" % len(body))
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def branch():
    return "z9hG4bK-h" + os.urandom(6).hex()


def cmd_register(args, conn):
    """For each AOR: Contacts <sip:AOR-i@127.0.0.2:DEV> for i < N, in
    REGISTERs of --per-req Contacts. The Call-ID depends on the AOR and the
    chunk only, so a second run with a higher --cseq refreshes the same
    bindings as one device set would."""
    fail = 0
    per = args.per_req or args.contacts
    # --ranges 0: the push application's tag alone
    tags = FEATURE + (';+u.x="%s"' % binding_ranges(args.ranges) if args.ranges else "")
    for aor in args.aor:
        for start in range(0, args.contacts, per):
            contacts = ", ".join(
                "<sip:%s-%d@%s:%d>;%s" % (aor, i, SRC, args.dev_port, tags)
                for i in range(start, min(start + per, args.contacts)))
            callid = "reg-%s-%s-%d" % (args.callid_salt or RUN, aor, start)
            req = build("REGISTER", "sip:push.example.net", conn.via(branch()),
                        "%s@push.example.net" % aor, callid, args.cseq,
                        ["Contact: " + contacts, "Expires: 3600"])
            st, _ = transaction(conn, req, callid, args.timeout)
            if st != 200:
                fail += 1
                print("REGISTER %s (%d Contacts, %d bytes): %s" % (
                    aor, min(per, args.contacts - start), len(req), st), file=sys.stderr)
    return fail


def cmd_mark(args, conn):
    callid = "mark-" + os.urandom(8).hex()
    req = build("OPTIONS", "sip:push.example.net", conn.via(branch()),
                "bench@push.example.net", callid, 1)
    st, _ = transaction(conn, req, callid, args.timeout)
    if st != 200:
        print("marker: %s" % st, file=sys.stderr)
    return 0 if st == 200 else 1


def amp_request(args, via, k):
    """The k-th amplification MESSAGE. Its values are rotated by k: the
    module reuses the parsed caller preferences of the previous request
    when its headers repeat, which an attacker would not allow."""
    vals = accept_values(args.values, args.ranges)
    r = k % len(vals)
    vals = vals[r:] + vals[:r]
    callid = "amp-%s-%d-%s" % (RUN, k, os.urandom(4).hex())
    body = b"mms notification: content location http://mms.example.net/m/0123456789abcdef"
    req = build("MESSAGE", "sip:%s@push.example.net" % args.aor[0], via,
                "%s@push.example.net" % args.aor[0], callid, 1,
                ["Accept-Contact: " + v for v in vals] + ["Content-Type: " + MMS], body)
    return req, callid


def percentiles(xs):
    xs = sorted(xs)
    if not xs:
        return "-"
    pick = lambda p: xs[min(len(xs) - 1, int(p * len(xs)))]
    return "mean %.1f p50 %.1f p95 %.1f max %.1f" % (
        1e3 * sum(xs) / len(xs), pick(0.5) * 1e3, pick(0.95) * 1e3, xs[-1] * 1e3)


def summary(kind, sent, codes, lat, size):
    print("%s sent=%d bytes=%d codes=%s latency_ms %s" % (
        kind, sent, size, ",".join("%s:%d" % kv for kv in sorted(codes.items(), key=str)),
        percentiles(lat)))


def cmd_amp(args, conn):
    codes, lat, size = {}, [], 0
    for k in range(args.count):
        req, callid = amp_request(args, conn.via(branch()), k)
        size = len(req)
        st, dt = transaction(conn, req, callid, args.timeout)
        st = st if st is not None else "none"
        codes[st] = codes.get(st, 0) + 1
        if st != "none":
            lat.append(dt)
    summary("amp", args.count, codes, lat, size)
    return 0 if codes.get(args.expect, 0) == args.count else 1


def cmd_flood(args, ports):
    """args.rate requests a second for args.seconds, each on a connection
    with nothing outstanding (new ones opened as needed, at most
    --max-conns): a slow proxy gets more requests in parallel, as from a
    real attacker. Answers are awaited at most --timeout after the last."""
    sel = selectors.DefaultSelector()
    idle, conns, sent_at = [], [], {}
    codes, lat, size, sent, skipped = {}, [], 0, 0, 0
    t0 = time.monotonic()
    end = t0 + args.seconds
    k = 0

    def drain(wait):
        for key, _ in sel.select(wait):
            c = key.data
            try:
                msgs = c.read()
            except (ConnectionError, OSError):
                sel.unregister(c.sock)
                c.close()
                continue
            for msg in msgs:
                st, cid = status_of(msg), callid_of(msg)
                if st is not None and st >= 200 and cid in sent_at:
                    lat.append(time.monotonic() - sent_at.pop(cid))
                    codes[st] = codes.get(st, 0) + 1
                    c.pending -= 1
                    if c.pending == 0:
                        idle.append(c)

    while time.monotonic() < end:
        due = t0 + k / args.rate
        while time.monotonic() < due:
            drain(max(0.0, due - time.monotonic()))
        if idle:
            c = idle.pop()
        elif len(conns) < args.max_conns:
            c = Conn(args, ports)
            conns.append(c)
            sel.register(c.sock, selectors.EVENT_READ, c)
        else:
            skipped += 1  # every connection busy: this tick is lost
            k += 1
            continue
        req, callid = amp_request(args, c.via(branch()), k)
        size = len(req)
        c.send(req)
        c.pending += 1
        sent_at[callid] = time.monotonic()
        sent += 1
        k += 1
    stop = time.monotonic() + args.timeout
    while sent_at and time.monotonic() < stop:
        drain(max(0.0, min(0.2, stop - time.monotonic())))
    if sent_at:
        codes["none"] = len(sent_at)
    summary("flood", sent, codes, lat, size)
    print("flood connections=%d skipped_ticks=%d seconds=%.1f" % (
        len(conns), skipped, time.monotonic() - t0))
    for c in conns:
        c.close()
    return 0


# ---- callgrind dumps ---------------------------------------------------------

def cmd_profile(args):
    """Own ("self") instructions per function of a callgrind dump, and
    inclusive ones (own + the calls it made, recursion into itself left
    out) of the functions in push.so."""
    names, own, incl, obj = {}, {}, {}, {}

    def name(v):
        m = re.match(r"\((\d+)\)(?: (.*))?$", v)
        if not m:
            return v
        if m.group(2) is not None:
            names[m.group(1)] = m.group(2)
        return names.get(m.group(1), v)

    ob = fn = cfn = None
    in_call = False
    total = 0
    with open(args.file, errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                continue
            key, _, val = line.partition("=")
            if key == "ob":
                ob = name(val)
            elif key == "fn":
                fn = name(val)
                obj.setdefault(fn, ob)
            elif key == "cfn":
                cfn = name(val)
            elif key == "calls":
                in_call = True
            elif line[0].isdigit() or line[0] in "+-*":
                parts = line.split()
                cost = int(parts[1]) if len(parts) > 1 else 0
                if in_call:
                    in_call = False
                    if cfn != fn:
                        incl[fn] = incl.get(fn, 0) + cost
                else:
                    own[fn] = own.get(fn, 0) + cost
                    incl[fn] = incl.get(fn, 0) + cost
                    total += cost
    div = max(args.per, 1)

    def show(title, items):
        print(title)
        for fn_, c in items:
            print("  %13d %5.1f%%  %s  [%s]" % (c // div, 100.0 * c / max(total, 1), fn_,
                                              os.path.basename(obj.get(fn_) or "?")))

    show("own instructions%s:" % (" per request" if div > 1 else ""),
         sorted(own.items(), key=lambda kv: -kv[1])[:args.top])
    show("push.so functions, inclusive%s:" % (" per request" if div > 1 else ""),
         sorted(((k, v) for k, v in incl.items() if (obj.get(k) or "").endswith("push.so")),
                key=lambda kv: -kv[1])[:args.top])
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("cmd", choices=["register", "mark", "amp", "flood", "profile"])
    p.add_argument("--port", type=int, help="proxy port on 127.0.0.1")
    p.add_argument("--proto", choices=["udp", "tcp"], default="udp")
    p.add_argument("--lports", help="local ports LO:HI")
    p.add_argument("--timeout", type=float, default=60.0)
    p.add_argument("--aor", action="append", default=[], help="AOR user (repeatable)")
    p.add_argument("--contacts", type=int, default=1, help="register: Contacts per AOR")
    p.add_argument("--per-req", type=int, default=0, help="register: Contacts per REGISTER (0: all)")
    p.add_argument("--cseq", type=int, default=1)
    p.add_argument("--callid-salt", default="")
    p.add_argument("--dev-port", type=int, default=9, help="register: port of the Contacts")
    p.add_argument("--ranges", type=int, default=2,
                   help="ranges per binding (register) or per Accept-Contact value (amp, flood)")
    p.add_argument("--values", type=int, default=16, help="amp, flood: Accept-Contact values")
    p.add_argument("--count", type=int, default=1, help="amp: requests")
    p.add_argument("--expect", type=int, default=503, help="amp: the expected status")
    p.add_argument("--rate", type=float, default=10.0, help="flood: requests a second")
    p.add_argument("--seconds", type=float, default=20.0, help="flood: duration")
    p.add_argument("--max-conns", type=int, default=32, help="flood: TCP connections at most")
    p.add_argument("--file", help="profile: the callgrind dump")
    p.add_argument("--per", type=int, default=1, help="profile: requests in the dump (divisor)")
    p.add_argument("--top", type=int, default=12, help="profile: functions listed")
    args = p.parse_args()
    if args.cmd == "profile":
        if not args.file:
            p.error("--file is needed")
        return cmd_profile(args)
    if args.port is None or args.lports is None:
        p.error("--port and --lports are needed")
    if args.cmd in ("register", "amp", "flood") and not args.aor:
        p.error("--aor is needed")
    ports = Ports(args.lports)
    try:
        if args.cmd == "flood":
            return 1 if cmd_flood(args, ports) else 0
        conn = Conn(args, ports)
        try:
            rc = {"register": cmd_register, "mark": cmd_mark, "amp": cmd_amp}[args.cmd](args, conn)
        finally:
            conn.close()
        return 1 if rc else 0
    except OSError as e:
        print("hostile.py %s: %s" % (args.cmd, e), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
