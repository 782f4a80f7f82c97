#!/usr/bin/env python3
"""Send one raw SIP request and print the status code of its final response.

The request is given byte for byte, from a file (-f FILE, "-" for stdin) or
as a Python bytes literal body (-e 'MESSAGE sip:... SIP/2.0\\r\\n...'), so
bare LF, bare CR and folded lines reach the proxy untouched. Only these
placeholders are replaced before sending:

  @VIA@     SIP/2.0/UDP <src>:<port>;branch=z9hG4bK-<random>;rport
            (SIP/2.0/TCP ... over --tcp, SIP/2.0/TLS ... over --tls), the
            socket's own address and port
  @SRC@     the source address       @LPORT@  the socket's own port
  @DST@     the proxy address        @DPORT@  the proxy port
  @CALLID@  a random Call-ID         @TAG@    a random From tag
  @BRANCH@  the branch of the Via

Over UDP the request is retransmitted like a non-INVITE client transaction
(T1 = 0.5 s, doubling, at most --retransmits times); 1xx responses are
ignored. The first final response whose top Via carries our branch ends the
wait: its status code goes to stdout (and the whole response to --response
FILE when given). Exit status 0 then; 1 when no final response came within
--timeout seconds (nothing on stdout); 2 on a usage or socket error.

Over --tls the proxy's certificate is checked against --ca when given (not
at all without it), and --cert/--key, when given, is the client
certificate presented: a Push Sender Agent proving who it is. A handshake
the proxy refuses, or a connection it closes before answering, is a socket
error (exit status 2).
"""

import argparse
import codecs
import os
import re
import select
import socket
import ssl
import sys
import time

T1 = 0.5


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--src", default="127.0.0.1",
                   help="source address (127.0.0.1 or 127.0.0.2)")
    p.add_argument("--dst", default="127.0.0.1", help="proxy address")
    p.add_argument("--port", type=int, required=True, help="proxy port")
    p.add_argument("--tcp", action="store_true", help="send over TCP")
    p.add_argument("--tls", action="store_true", help="send over TLS")
    p.add_argument("--ca", help="--tls: the authority of the proxy's "
                   "certificate (PEM)")
    p.add_argument("--cert", help="--tls: a client certificate (PEM)")
    p.add_argument("--key", help="--tls: the key of --cert (PEM)")
    p.add_argument("--timeout", type=float, default=5.0,
                   help="seconds to wait for a final response (default 5)")
    p.add_argument("--retransmits", type=int, default=3,
                   help="UDP retransmissions at most (default 3)")
    p.add_argument("--response", metavar="FILE",
                   help="write the whole final response to FILE")
    p.add_argument("--sent", metavar="FILE",
                   help="write the request as sent to FILE")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("-f", "--file", help="the raw request ('-': stdin)")
    g.add_argument("-e", "--escaped",
                   help="the raw request with Python escapes (\\r \\n \\t \\xNN)")
    return p.parse_args()


def load_request(args):
    if args.escaped is not None:
        raw, _ = codecs.escape_decode(args.escaped.encode("latin-1"))
        return raw
    if args.file == "-":
        return sys.stdin.buffer.read()
    with open(args.file, "rb") as f:
        return f.read()


def fill(raw, args, lport, branch):
    proto = "TLS" if args.tls else "TCP" if args.tcp else "UDP"
    via = "SIP/2.0/%s %s:%d;branch=%s;rport" % (proto, args.src, lport, branch)
    subst = {
        b"@VIA@": via,
        b"@SRC@": args.src,
        b"@LPORT@": str(lport),
        b"@DST@": args.dst,
        b"@DPORT@": str(args.port),
        b"@CALLID@": "raw-" + os.urandom(8).hex(),
        b"@TAG@": os.urandom(4).hex(),
        b"@BRANCH@": branch,
    }
    for key, val in subst.items():
        raw = raw.replace(key, val.encode("ascii"))
    return raw


STATUS_RE = re.compile(rb"^SIP/2\.0 ([1-6][0-9][0-9])[ \t]")


def status_of(msg, branch):
    """The status code of a response to our request, else None."""
    m = STATUS_RE.match(msg)
    if not m:
        return None
    head = msg.split(b"\r\n\r\n", 1)[0]
    for line in head.split(b"\r\n"):
        name = line.split(b":", 1)[0].strip().lower()
        if name in (b"via", b"v"):
            # the top Via: ours, or not a response to this request
            if b"branch=" + branch.encode("ascii") not in line:
                return None
            return int(m.group(1))
    return None


def finish(code, msg, args):
    if args.response:
        with open(args.response, "wb") as f:
            f.write(msg)
    print(code)
    sys.stdout.flush()
    return 0


def prepare(sock, args, raw):
    """The request as sent from sock's port, with a new branch (kept in
    args.sent when asked)."""
    branch = "z9hG4bK-" + os.urandom(8).hex()
    req = fill(raw, args, sock.getsockname()[1], branch)
    if args.sent:
        with open(args.sent, "wb") as f:
            f.write(req)
    return req, branch


def run_udp(args, raw):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((args.src, 0))
    req, branch = prepare(sock, args, raw)
    dest = (args.dst, args.port)
    start = time.monotonic()
    deadline = start + args.timeout
    interval = T1
    next_tx = start + interval
    left = args.retransmits
    sock.sendto(req, dest)
    while True:
        now = time.monotonic()
        if now >= deadline:
            return None
        wake = deadline if left <= 0 else min(deadline, next_tx)
        ready, _, _ = select.select([sock], [], [], max(0.0, wake - now))
        if ready:
            msg, _ = sock.recvfrom(65535)
            code = status_of(msg, branch)
            if code is not None and code >= 200:
                return finish(code, msg, args)
            continue
        if left > 0 and time.monotonic() >= next_tx:
            sock.sendto(req, dest)
            left -= 1
            interval *= 2
            next_tx = time.monotonic() + interval


def tls_context(args):
    """A client context: the proxy's certificate checked against args.ca
    (not checked without it), args.cert and args.key presented."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    if args.ca:
        ctx.load_verify_locations(args.ca)
    else:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    if args.cert:
        ctx.load_cert_chain(args.cert, args.key)
    return ctx


def tls_wrap(sock, args):
    """sock connected, the TLS handshake done."""
    return tls_context(args).wrap_socket(sock, server_hostname=args.dst)


def run_tcp(args, raw):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind((args.src, 0))
    sock.settimeout(args.timeout)
    sock.connect((args.dst, args.port))
    if args.tls:
        sock = tls_wrap(sock, args)
    req, branch = prepare(sock, args, raw)
    sock.sendall(req)
    deadline = time.monotonic() + args.timeout
    buf = b""
    while True:
        # one message: headers, then Content-Length bytes of body
        end = buf.find(b"\r\n\r\n")
        if end >= 0:
            head = buf[:end]
            m = re.search(rb"(?im)^(?:content-length|l)[ \t]*:[ \t]*([0-9]+)",
                          head)
            blen = int(m.group(1)) if m else 0
            total = end + 4 + blen
            if len(buf) >= total:
                msg, buf = buf[:total], buf[total:]
                code = status_of(msg, branch)
                if code is not None and code >= 200:
                    sock.close()
                    return finish(code, msg, args)
                continue
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        # decrypted bytes TLS holds already do not wake select()
        pending = args.tls and sock.pending() > 0
        ready, _, _ = select.select([sock], [], [], 0 if pending else left)
        if not ready and not pending:
            return None
        data = sock.recv(65535)
        if not data:
            if args.tls:
                raise ConnectionError("the proxy closed the connection")
            return None
        buf += data


def main():
    args = parse_args()
    if args.timeout <= 0 or args.timeout > 60 or args.retransmits > 10:
        print("rawsip: timeout must be in (0, 60], retransmits <= 10",
              file=sys.stderr)
        return 2
    try:
        raw = load_request(args)
        rc = run_tcp(args, raw) if args.tcp or args.tls else run_udp(args, raw)
    except OSError as e:
        print("rawsip: %s" % e, file=sys.stderr)
        return 2
    if rc is None:
        print("rawsip: no final response within %g s" % args.timeout,
              file=sys.stderr)
        return 1
    return rc


if __name__ == "__main__":
    sys.exit(main())
