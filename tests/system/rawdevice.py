#!/usr/bin/env python3
"""A Push Receiver Agent's device over UDP or TLS that keeps every MESSAGE byte for byte.

SIPp's -trace_msg log stops at the first NUL byte of a message, so it cannot
show a binary push body (an MMS m-notification-ind, a SUPL INIT) as it came.
This device does what sipp-scenarios/device.xml does, and keeps the bytes:

1. It registers one binding, Contact <sip:USER@127.0.0.1:PORT>PARAMS, with
   the proxy (REGISTER retransmitted like a non-INVITE client transaction;
   a final answer other than 200 ends it with exit status 1, and the status
   line goes to DIR/register-failed). On 200 it writes DIR/registered.
2. It answers each MESSAGE (and any other request) with --code (default
   200), without Contact or body, retransmissions included. Each new MESSAGE
   (new top Via branch) is kept as DIR/msg-N.sip (the whole datagram),
   DIR/msg-N.hdr (start line and header section, up to the empty line) and
   DIR/msg-N.body (the body, Content-Length bytes), N from 1, each written
   to a temporary name and then renamed, .sip last.

It ends on SIGTERM or after --lifetime seconds (default 60). DIR/pid holds
its PID. Every socket operation has a timeout.

With --tls the device connects to the proxy's TLS port (--proxy-port),
checking the proxy's certificate against --ca when given and presenting
--cert/--key when given, registers (the REGISTER sent once) Contact
<sip:USER@127.0.0.1:LPORT;transport=tls>PARAMS, LPORT being the local port
of that connection (written to DIR/port), and takes its MESSAGEs on that
connection, as a device behind NAT does; --port is not used then. A closed
connection ends it (exit status 1 before the registration, else 0).
"""

import argparse
import os
import random
import re
import signal
import socket
import sys
import time

from rawsip import tls_context

T1 = 0.5


def write_file(path, data):
    tmp = "%s.tmp.%d" % (path, os.getpid())
    with open(tmp, "wb") as f:
        f.write(data)
    os.rename(tmp, path)


def split_message(data):
    """(start line, [(name, value, raw line)], body) of a SIP datagram."""
    for sep in (b"\r\n\r\n", b"\n\n"):
        i = data.find(sep)
        if i >= 0:
            head, rest = data[:i], data[i + len(sep):]
            break
    else:
        head, rest = data, b""
    lines = re.split(rb"\r?\n", head)
    hdrs = []
    for line in lines[1:]:
        if line[:1] in (b" ", b"\t") and hdrs:  # folded
            n, v, raw = hdrs[-1]
            hdrs[-1] = (n, v + b" " + line.strip(), raw + b"\r\n" + line)
            continue
        if b":" in line:
            n, v = line.split(b":", 1)
            hdrs.append((n.strip().lower(), v.strip(), line))
    clen = None
    for n, v, _ in hdrs:
        if n in (b"content-length", b"l"):
            try:
                clen = int(v)
            except ValueError:
                pass
    body = rest if clen is None else rest[:clen]
    return lines[0], hdrs, head, body


class TlsConnection:
    """One TLS connection to the proxy, used like the UDP socket: sendto()
    sends on it whatever the address, recvfrom() returns the next whole SIP
    message (framed by Content-Length) and the proxy's address."""

    def __init__(self, args):
        ctx = tls_context(args)
        raw = socket.create_connection((args.proxy_host, args.proxy_port),
                                       timeout=10)
        self.sock = ctx.wrap_socket(raw, server_hostname=args.proxy_host)
        self.peer = (args.proxy_host, args.proxy_port)
        self.buf = b""
        self.closed = False

    def getsockname(self):
        return self.sock.getsockname()

    def settimeout(self, t):
        self.sock.settimeout(t)

    def sendto(self, data, _addr):
        self.sock.sendall(data)

    def message(self):
        """The next whole message in the buffer, else None."""
        self.buf = self.buf.lstrip(b"\r\n")  # keep-alives
        end = self.buf.find(b"\r\n\r\n")
        if end < 0:
            return None
        m = re.search(rb"(?im)^(?:content-length|l)[ \t]*:[ \t]*([0-9]+)",
                      self.buf[:end])
        total = end + 4 + (int(m.group(1)) if m else 0)
        if len(self.buf) < total:
            return None
        msg, self.buf = self.buf[:total], self.buf[total:]
        return msg

    def recvfrom(self, _size):
        while True:
            msg = self.message()
            if msg is not None:
                return msg, self.peer
            if self.closed:
                raise ConnectionError("the proxy closed the connection")
            data = self.sock.recv(65535)
            if not data:
                self.closed = True
                continue
            self.buf += data


COMPACT = {b"v": b"via", b"f": b"from", b"t": b"to", b"i": b"call-id"}


def hname(n):
    return COMPACT.get(n, n)


def response(hdrs, code, reason, to_tag):
    out = [b"SIP/2.0 %d %s" % (code, reason)]
    for want in (b"via", b"from", b"to", b"call-id", b"cseq"):
        for n, v, raw in hdrs:
            if hname(n) != want:
                continue
            name = {b"via": b"Via", b"from": b"From", b"to": b"To",
                    b"call-id": b"Call-ID", b"cseq": b"CSeq"}[want]
            if want == b"to" and b";tag=" not in v.lower():
                v = v + b";tag=" + to_tag
            out.append(name + b": " + v)
    out.append(b"Content-Length: 0")
    return b"\r\n".join(out) + b"\r\n\r\n"


def top_branch(hdrs):
    for n, v, _ in hdrs:
        if hname(n) == b"via":
            first = v.split(b",")[0]
            m = re.search(rb";\s*branch=([^;,\s]+)", first, re.I)
            return m.group(1) if m else first
    return b""


def register(sock, args, deadline):
    proxy = (args.proxy_host, args.proxy_port)
    lport = sock.getsockname()[1]
    proto, uri_params = ("TLS", ";transport=tls") if args.tls else ("UDP", "")
    branch = "z9hG4bK-rd%x" % random.getrandbits(48)
    callid = "rd-%x@127.0.0.1" % random.getrandbits(64)
    req = (
        "REGISTER sip:%s:%d SIP/2.0\r\n"
        "Via: SIP/2.0/%s 127.0.0.1:%d;branch=%s;rport\r\n"
        "Max-Forwards: 70\r\n"
        "From: <sip:%s@%s>;tag=rd%x\r\n"
        "To: <sip:%s@%s>\r\n"
        "Call-ID: %s\r\n"
        "CSeq: 1 REGISTER\r\n"
        "Contact: <sip:%s@127.0.0.1:%d%s>%s\r\n"
        "Expires: %d\r\n"
        "User-Agent: push-receiver-agent (rawdevice.py)\r\n"
        "Content-Length: 0\r\n\r\n"
        % (args.proxy_host, args.proxy_port, proto, lport, branch,
           args.user, args.domain, random.getrandbits(32),
           args.user, args.domain, callid,
           args.user, lport, uri_params, args.params,
           args.expires)).encode("utf-8")
    interval = T1
    next_send = 0.0
    while time.monotonic() < deadline:
        now = time.monotonic()
        if now >= next_send:
            sock.sendto(req, proxy)
            next_send = deadline if args.tls else now + interval
            interval = min(interval * 2, 4.0)
        sock.settimeout(max(0.05, min(next_send, deadline) - time.monotonic()))
        try:
            data, _ = sock.recvfrom(65535)
        except socket.timeout:
            continue
        start, hdrs, _, _ = split_message(data)
        if not start.startswith(b"SIP/2.0 "):
            continue
        if top_branch(hdrs) != branch.encode():
            continue
        code = int(start.split()[1])
        if code < 200:
            continue
        if code == 200:
            write_file(os.path.join(args.dir, "registered"), start + b"\n")
            return True
        write_file(os.path.join(args.dir, "register-failed"), start + b"\n")
        return False
    write_file(os.path.join(args.dir, "register-failed"), b"no answer\n")
    return False


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--proxy-host", default="127.0.0.1")
    ap.add_argument("--proxy-port", type=int, required=True)
    ap.add_argument("--port", type=int, help="own UDP port (not with --tls)")
    ap.add_argument("--user", required=True, help="the AOR's user part")
    ap.add_argument("--domain", default="push.example.net")
    ap.add_argument("--params", default="", help="Contact parameters, e.g. "
                    "';+g.oma.pusheventapp=\"mms.ua\"'")
    ap.add_argument("--expires", type=int, default=600)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--code", type=int, default=200)
    ap.add_argument("--reason", default="")
    ap.add_argument("--lifetime", type=float, default=60.0)
    ap.add_argument("--tls", action="store_true",
                    help="over TLS, to the proxy's TLS port")
    ap.add_argument("--ca", help="--tls: the authority of the proxy's "
                    "certificate (PEM); without it the certificate is not "
                    "checked")
    ap.add_argument("--cert", help="--tls: a client certificate (PEM)")
    ap.add_argument("--key", help="--tls: the key of --cert (PEM)")
    args = ap.parse_args()
    if args.tls == (args.port is not None):
        ap.error("give --port for UDP, or --tls")

    os.makedirs(args.dir, exist_ok=True)
    stop = {"now": False}

    def on_term(*_):
        stop["now"] = True

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)
    write_file(os.path.join(args.dir, "pid"), b"%d\n" % os.getpid())
    deadline = time.monotonic() + args.lifetime
    if args.tls:
        try:
            sock = TlsConnection(args)
        except (OSError, ValueError) as e:
            write_file(os.path.join(args.dir, "register-failed"),
                       b"no TLS connection: %s\n" % str(e).encode())
            return 1
        write_file(os.path.join(args.dir, "port"),
                   b"%d\n" % sock.getsockname()[1])
    else:
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.bind(("127.0.0.1", args.port))
    try:
        if not register(sock, args, min(deadline, time.monotonic() + 10)):
            return 1
    except OSError as e:
        write_file(os.path.join(args.dir, "register-failed"),
                   b"%s\n" % str(e).encode())
        return 1
    reason = (args.reason or {200: "OK", 202: "Accepted", 480:
              "Temporarily Unavailable", 486: "Busy Here",
              603: "Decline"}.get(args.code, "Answer")).encode()
    to_tag = b"rd%x" % random.getrandbits(32)
    seen = {}
    count = 0
    while not stop["now"] and time.monotonic() < deadline:
        sock.settimeout(0.2)
        try:
            data, peer = sock.recvfrom(65535)
        except socket.timeout:
            continue
        except InterruptedError:
            continue
        except OSError:
            return 0  # the proxy closed the TLS connection
        start, hdrs, head, body = split_message(data)
        if start.startswith(b"SIP/2.0"):
            continue  # a response (a retransmitted 200 to our REGISTER)
        method = start.split(b" ", 1)[0]
        if method == b"ACK":
            continue
        branch = top_branch(hdrs)
        if method == b"MESSAGE" and branch not in seen:
            count += 1
            seen[branch] = count
            base = os.path.join(args.dir, "msg-%d" % count)
            write_file(base + ".hdr", head + b"\r\n")
            write_file(base + ".body", body)
            write_file(base + ".sip", data)
        code = args.code if method == b"MESSAGE" else 200
        sock.sendto(response(hdrs, code, reason if code == args.code
                             else b"OK", to_tag), peer)
    return 0


if __name__ == "__main__":
    sys.exit(main())
