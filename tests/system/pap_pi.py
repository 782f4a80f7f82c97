#!/usr/bin/env python3
"""A PAP Push Initiator and result-notification listener for the system tests.

Subcommands (python3 standard library only; every socket operation has a
timeout, and the listener runs until SIGTERM or --lifetime):

  submit   POST a push-message: a multipart/related body with the control
           entity (generated, or --raw-control FILE verbatim) and the content
           entity (--body-hex / --body-file / --body-text, --base64 to send
           it with Content-Transfer-Encoding: base64).
  status   POST a statusquery-message (one application/xml entity).
  cancel   POST a cancel-message (one application/xml entity).
  raw      send FILE (or nothing) with a given method and Content-Type.
  listen   HTTP server on 127.0.0.1 taking result notifications: each POST
           body goes to DIR/notify-N.xml (N from 1; its request line and
           headers to DIR/notify-N.hdr), written to a temporary name first
           and then renamed; the answer is 200 with a
           <resultnotification-response> echoing the push-id. DIR/listener.pid
           and then DIR/ready are written once the port is bound.
  xpath    FILE ELEMENT [ATTRIBUTE]: the ATTRIBUTE values of every ELEMENT of
           an XML document, one a line (without ATTRIBUTE: one line with the
           element name per occurrence). A document declaring an entity is
           refused (exit 3); the parser (xml.etree/expat) never loads a DTD or
           an external entity.
  attrs    FILE: the whole document in one go, for shell tests: for each
           element in document order a line with its name, then a line
           "element@attribute=value" per attribute (newlines in values as
           \\n). Same parser and refusals as xpath.
  unhex    HEX FILE: write the bytes of HEX (spaces allowed) to FILE.

The HTTP subcommands print the status code on the first line of stdout and
the response body after it (byte for byte); --out FILE also writes the body
alone, --headers FILE the status line and headers, --sent FILE the request
as sent. Exit status: 0 when a response came (whatever its status), 1 when
none came (connection refused or closed, timeout), 2 on a usage error.
"""

import argparse
import base64
import binascii
import os
import random
import re
import signal
import socket
import sys
import threading
import time
import xml.etree.ElementTree as ET
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

DOCTYPES = {
    "1.0": '<!DOCTYPE pap PUBLIC "-//WAPFORUM//DTD PAP//EN" '
           '"http://www.wapforum.org/DTD/pap_1.0.dtd">',
    "2.0": '<!DOCTYPE pap PUBLIC "-//WAPFORUM//DTD PAP 2.0//EN" '
           '"http://www.wapforum.org/DTD/pap_2.0.dtd" '
           '[<?wap-pap-ver supported-versions="2.0,1.*"?>]>',
    "2.1": '<!DOCTYPE pap PUBLIC "-//WAPFORUM//DTD PAP 2.1//EN" '
           '"http://www.openmobilealliance.org/tech/DTD/pap_2.1.dtd">',
}


def die(msg, rc=2):
    sys.stderr.write("pap_pi: %s\n" % msg)
    sys.exit(rc)


def xml_attr(value):
    return (value.replace("&", "&amp;").replace("<", "&lt;")
            .replace(">", "&gt;").replace('"', "&quot;"))


def write_file(path, data):
    """Write data to path atomically (temporary file, then rename)."""
    tmp = "%s.tmp.%d.%d" % (path, os.getpid(), threading.get_ident())
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.rename(tmp, path)


# ---- HTTP client ----

def http_request(url, method, headers, body, timeout, sent_file=None,
                 src=None):
    """One HTTP/1.1 request over a fresh connection. Returns (status,
    status-line-and-headers bytes, body bytes); raises OSError/ValueError
    when no complete response came."""
    u = urlsplit(url)
    if u.scheme != "http" or not u.hostname:
        die("only http://host:port/path URLs: %r" % url)
    port = u.port or 80
    path = u.path or "/"
    if u.query:
        path += "?" + u.query
    host_hdr = "%s:%d" % (u.hostname, port)
    lines = ["%s %s HTTP/1.1" % (method, path), "Host: " + host_hdr]
    lines += headers
    if body is not None:
        lines.append("Content-Length: %d" % len(body))
    lines.append("Connection: close")
    req = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    if body is not None:
        req += body
    if sent_file:
        write_file(sent_file, req)
    deadline = time.monotonic() + timeout
    with socket.create_connection((u.hostname, port), timeout=timeout,
                                  source_address=(src, 0) if src else None) as s:
        s.settimeout(timeout)
        s.sendall(req)
        buf = b""

        def more():
            left = deadline - time.monotonic()
            if left <= 0:
                raise socket.timeout("no complete response in %.1f s" % timeout)
            s.settimeout(left)
            d = s.recv(65536)
            return d

        while True:
            # the header section (interim 1xx answers skipped)
            while b"\r\n\r\n" not in buf:
                d = more()
                if not d:
                    raise ValueError("connection closed before the response "
                                     "headers (got %d bytes)" % len(buf))
                buf += d
            head, buf = buf.split(b"\r\n\r\n", 1)
            m = re.match(rb"HTTP/1\.[01] (\d{3})", head)
            if not m:
                raise ValueError("not an HTTP response: %r" % head[:80])
            status = int(m.group(1))
            if 100 <= status < 200:
                continue
            break
        hdrs = {}
        for line in head.split(b"\r\n")[1:]:
            if b":" in line:
                k, v = line.split(b":", 1)
                hdrs[k.strip().lower()] = v.strip()
        if b"chunked" in hdrs.get(b"transfer-encoding", b"").lower():
            out = b""
            while True:
                while b"\r\n" not in buf:
                    d = more()
                    if not d:
                        raise ValueError("connection closed in a chunk size")
                    buf += d
                size_line, buf = buf.split(b"\r\n", 1)
                size = int(size_line.split(b";")[0], 16)
                while len(buf) < size + 2:
                    d = more()
                    if not d:
                        raise ValueError("connection closed in a chunk")
                    buf += d
                if size == 0:
                    break
                out += buf[:size]
                buf = buf[size + 2:]
            return status, head, out
        if b"content-length" in hdrs:
            n = int(hdrs[b"content-length"])
            while len(buf) < n:
                d = more()
                if not d:
                    raise ValueError("connection closed after %d of %d body "
                                     "bytes" % (len(buf), n))
                buf += d
            return status, head, buf[:n]
        if method == "HEAD" or status in (204, 304):
            return status, head, b""
        while True:  # read to close
            d = more()
            if not d:
                return status, head, buf
            buf += d


def auth_headers(args):
    if args.user is None:
        return []
    cred = ("%s:%s" % (args.user, args.password or "")).encode("utf-8")
    return ["Authorization: Basic " + base64.b64encode(cred).decode("ascii")]


def run_http(args, method, ctype, body):
    headers = auth_headers(args)
    if ctype is not None:
        headers.append("Content-Type: " + ctype)
    for h in args.header or []:
        headers.append(h)
    try:
        status, head, rbody = http_request(args.url, method, headers, body,
                                           args.timeout, args.sent, args.src)
    except (OSError, ValueError) as e:
        sys.stderr.write("pap_pi: no response from %s: %s\n" % (args.url, e))
        return 1
    if args.headers:
        write_file(args.headers, head + b"\r\n")
    if args.out:
        write_file(args.out, rbody)
    sys.stdout.buffer.write(b"%d\n" % status)
    sys.stdout.buffer.write(rbody)
    sys.stdout.buffer.flush()
    return 0


# ---- documents ----

def control_doc(version, inner):
    return ('<?xml version="1.0"?>\n%s\n<pap>\n%s</pap>\n'
            % (DOCTYPES[version], inner)).encode("utf-8")


def addresses_xml(addrs, indent="    "):
    return "".join('%s<address address-value="%s"/>\n' % (indent, xml_attr(a))
                   for a in addrs)


def push_control(args):
    attrs = [("push-id", args.push_id)]
    if args.replace_push_id is not None:
        attrs.append(("replace-push-id", args.replace_push_id))
    if args.deliver_before is not None:
        attrs.append(("deliver-before-timestamp", args.deliver_before))
    if args.deliver_after is not None:
        attrs.append(("deliver-after-timestamp", args.deliver_after))
    if args.source_reference is not None:
        attrs.append(("source-reference", args.source_reference))
    if args.notify is not None:
        attrs.append(("ppg-notify-requested-to", args.notify))
    inner = "  <push-message %s>\n" % " ".join(
        '%s="%s"' % (k, xml_attr(v)) for k, v in attrs)
    inner += addresses_xml(args.address)
    qos = []
    if args.priority:
        qos.append(("priority", args.priority))
    if args.delivery_method:
        qos.append(("delivery-method", args.delivery_method))
    if qos:
        inner += "    <quality-of-service %s/>\n" % " ".join(
            '%s="%s"' % (k, xml_attr(v)) for k, v in qos)
    inner += "  </push-message>\n"
    return control_doc(args.version, inner)


def content_bytes(args):
    if args.body_hex is not None:
        try:
            return binascii.unhexlify(re.sub(r"\s+", "", args.body_hex))
        except binascii.Error as e:
            die("--body-hex: %s" % e)
    if args.body_file is not None:
        with open(args.body_file, "rb") as f:
            return f.read()
    if args.body_text is not None:
        return args.body_text.encode("utf-8")
    return b""


def multipart(args, control, verbatim=False):
    """The multipart/related body and its Content-Type value. A generated
    control entity gets the line ends of the framing; a verbatim one is
    sent as it is."""
    eol = b"\n" if args.lf else b"\r\n"
    boundary = args.boundary or "pap-%016x" % random.getrandbits(64)
    content = content_bytes(args)
    if args.base64:
        enc = base64.b64encode(content)
        content = eol.join(enc[i:i + 76] for i in range(0, len(enc), 76))
    if boundary.encode() in content or boundary.encode() in control:
        die("the boundary occurs in the entities; give another --boundary")
    b = boundary.encode("ascii")
    out = b"--" + b + eol
    out += b"Content-Type: application/xml" + eol + eol
    if not verbatim:
        control = control.replace(b"\r\n", b"\n").replace(b"\n", eol)
    # the line end before each delimiter belongs to the delimiter
    out += control + eol
    out += b"--" + b + eol
    hdrs = []
    if args.content_type is not None:
        hdrs.append("Content-Type: " + args.content_type)
    if args.app_id is not None:
        hdrs.append("X-Wap-Application-Id: " + args.app_id)
    if args.base64:
        hdrs.append("Content-Transfer-Encoding: base64")
    hdrs += args.extra_content_header or []
    for h in hdrs:
        out += h.encode("utf-8") + eol
    out += eol + content + eol
    out += b"--" + b + b"--" + eol
    if args.unquoted:
        ctype = "multipart/related; boundary=%s; type=application/xml" % boundary
    else:
        ctype = 'multipart/related; boundary="%s"; type="application/xml"' % boundary
    return out, ctype


def cmd_submit(args):
    if args.raw_control:
        with open(args.raw_control, "rb") as f:
            control = f.read()
    else:
        if not args.push_id or not args.address:
            die("submit needs --push-id and --address (or --raw-control)")
        control = push_control(args)
    body, ctype = multipart(args, control, verbatim=bool(args.raw_control))
    return run_http(args, "POST", ctype, body)


def single_entity(args, element):
    if args.raw_control:
        with open(args.raw_control, "rb") as f:
            return f.read()
    if not args.push_id:
        die("%s needs --push-id" % element)
    addrs = args.address or []
    if addrs:
        inner = '  <%s push-id="%s">\n%s  </%s>\n' % (
            element, xml_attr(args.push_id), addresses_xml(addrs), element)
    else:
        inner = '  <%s push-id="%s"/>\n' % (element, xml_attr(args.push_id))
    return control_doc(args.version, inner)


def cmd_status(args):
    return run_http(args, "POST", "application/xml",
                    single_entity(args, "statusquery-message"))


def cmd_cancel(args):
    return run_http(args, "POST", "application/xml",
                    single_entity(args, "cancel-message"))


def cmd_raw(args):
    body = None
    if args.file is not None:
        with open(args.file, "rb") as f:
            body = f.read()
    elif args.method not in ("GET", "HEAD", "DELETE"):
        body = b""
    return run_http(args, args.method, args.content_type, body)


# ---- listener ----

class NotifyHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # also answers Expect: 100-continue
    server_version = "pap-pi-listener"
    timeout = 10  # per socket operation

    def log_message(self, fmt, *a):
        sys.stderr.write("listener: %s\n" % (fmt % a))

    def _answer(self, status, body, ctype="application/xml"):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        srv = self.server
        try:
            n = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            n = -1
        if n < 0 or n > 1 << 20:
            self.close_connection = True
            self._answer(400, b"", "text/plain")
            return
        body = self.rfile.read(n)
        with srv.lock:
            srv.count += 1
            idx = srv.count
        head = ("%s\r\n%s" % (self.requestline, self.headers.as_string())
                ).encode("latin-1", "replace")
        base = os.path.join(srv.dir, "notify-%d" % idx)
        write_file(base + ".hdr", head)
        write_file(base + ".xml", body)
        m = re.search(rb'push-id\s*=\s*"([^"]*)"', body)
        push_id = m.group(1).decode("utf-8", "replace") if m else ""
        doc = ('<?xml version="1.0"?>\n%s\n<pap><resultnotification-response '
               'push-id="%s" code="%s"/></pap>\n'
               % (DOCTYPES["2.1"], xml_attr(push_id), srv.code)).encode()
        self._answer(srv.status, doc)

    def do_GET(self):
        self._answer(405, b"", "text/plain")


def cmd_listen(args):
    os.makedirs(args.dir, exist_ok=True)
    srv = ThreadingHTTPServer(("127.0.0.1", args.port), NotifyHandler)
    srv.daemon_threads = True
    srv.lock = threading.Lock()
    srv.count = 0
    srv.dir = args.dir
    srv.code = args.code
    srv.status = args.status

    def stop(*_):
        threading.Thread(target=srv.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if args.lifetime:
        t = threading.Timer(args.lifetime, stop)
        t.daemon = True
        t.start()
    write_file(os.path.join(args.dir, "listener.pid"),
               b"%d\n" % os.getpid())
    write_file(os.path.join(args.dir, "ready"), b"%d\n" % args.port)
    try:
        srv.serve_forever(poll_interval=0.1)
    finally:
        srv.server_close()
        for f in ("ready", "listener.pid"):
            try:
                os.unlink(os.path.join(args.dir, f))
            except OSError:
                pass
    return 0


def cmd_stall(args):
    """A notification URL that takes connections and never answers: the
    kernel completes the handshake from the backlog, nothing is read."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", args.port))
    sock.listen(64)
    write_file(args.ready, b"%d\n" % args.port)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    time.sleep(args.lifetime)
    sock.close()
    return 0


# ---- document helpers ----

def load_xml(path):
    with open(path, "rb") as f:
        data = f.read()
    # Never expand anything: a document with an entity declaration is not
    # one the tests expect from the gateway (and expat would expand
    # internal entities).
    if re.search(rb"<!ENTITY", data, re.I):
        die("%s declares an entity; refused" % path, 3)
    try:
        return ET.fromstring(data)
    except ET.ParseError as e:
        die("%s: not well-formed XML: %s" % (path, e), 3)


def cmd_xpath(args):
    root = load_xml(args.file)
    for el in root.iter(args.element):
        if args.attribute is None:
            print(el.tag)
        elif args.attribute in el.attrib:
            print(el.attrib[args.attribute])
    return 0


def cmd_attrs(args):
    root = load_xml(args.file)
    out = []
    for el in root.iter():
        out.append(el.tag)
        for k, v in el.attrib.items():
            out.append("%s@%s=%s" % (el.tag, k, v.replace("\\", "\\\\")
                                     .replace("\n", "\\n")))
    sys.stdout.write("".join(line + "\n" for line in out))
    return 0


def cmd_unhex(args):
    try:
        data = binascii.unhexlify(re.sub(r"\s+", "", args.hex))
    except binascii.Error as e:
        die("unhex: %s" % e)
    write_file(args.file, data)
    return 0


# ---- arguments ----

def http_options(p):
    p.add_argument("--url", required=True, help="http://127.0.0.1:PORT/pap")
    p.add_argument("--user", help="Basic auth user (none: no Authorization)")
    p.add_argument("--password", help="Basic auth password")
    p.add_argument("--timeout", type=float, default=10.0,
                   help="seconds for the whole exchange (default 10)")
    p.add_argument("--header", action="append", metavar="'Name: value'",
                   help="an extra HTTP request header")
    p.add_argument("--out", metavar="FILE", help="write the response body")
    p.add_argument("--headers", metavar="FILE",
                   help="write the status line and response headers")
    p.add_argument("--sent", metavar="FILE", help="write the request as sent")
    p.add_argument("--src", metavar="ADDRESS",
                   help="source address of the connection (e.g. 127.0.0.2)")


def doc_options(p):
    p.add_argument("--version", choices=sorted(DOCTYPES), default="2.1",
                   help="PAP version of the DOCTYPE (default 2.1)")
    p.add_argument("--push-id")
    p.add_argument("--address", action="append", metavar="ADDRESS-VALUE")
    p.add_argument("--raw-control", metavar="FILE",
                   help="use FILE as the control entity, verbatim")


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)

    p = sub.add_parser("submit", help="POST a push-message")
    http_options(p)
    doc_options(p)
    p.add_argument("--notify", metavar="URL", help="ppg-notify-requested-to")
    p.add_argument("--app-id", help="X-Wap-Application-Id of the content")
    p.add_argument("--content-type", default="application/vnd.wap.mms-message",
                   help="Content-Type of the content entity")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--body-hex")
    g.add_argument("--body-file")
    g.add_argument("--body-text")
    p.add_argument("--base64", action="store_true",
                   help="send the content with Content-Transfer-Encoding: base64")
    p.add_argument("--extra-content-header", action="append",
                   metavar="'Name: value'", help="a header of the content entity")
    p.add_argument("--deliver-before", metavar="TS")
    p.add_argument("--deliver-after", metavar="TS")
    p.add_argument("--replace-push-id")
    p.add_argument("--source-reference")
    p.add_argument("--priority")
    p.add_argument("--delivery-method")
    p.add_argument("--lf", action="store_true",
                   help="bare LF line ends in the multipart body")
    p.add_argument("--boundary")
    p.add_argument("--unquoted", action="store_true",
                   help="boundary and type parameters without quotes")
    p.set_defaults(fn=cmd_submit)

    for name, fn in (("status", cmd_status), ("cancel", cmd_cancel)):
        p = sub.add_parser(name, help="POST a %s-message" %
                           ("statusquery" if name == "status" else name))
        http_options(p)
        doc_options(p)
        p.set_defaults(fn=fn)

    p = sub.add_parser("raw", help="send a file with a given Content-Type")
    http_options(p)
    p.add_argument("--method", default="POST")
    p.add_argument("--content-type", help="Content-Type (none: no header)")
    p.add_argument("--file", help="the body (none: no body)")
    p.set_defaults(fn=cmd_raw)

    p = sub.add_parser("listen", help="take result notifications")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--dir", required=True)
    p.add_argument("--code", default="1000",
                   help="code of the resultnotification-response")
    p.add_argument("--status", type=int, default=200, help="HTTP status")
    p.add_argument("--lifetime", type=float, default=0,
                   help="exit after this many seconds (0: until SIGTERM)")
    p.set_defaults(fn=cmd_listen)

    p = sub.add_parser("stall", help="take connections, never answer")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--ready", required=True, help="written once listening")
    p.add_argument("--lifetime", type=float, default=120,
                   help="exit after this many seconds")
    p.set_defaults(fn=cmd_stall)

    p = sub.add_parser("xpath", help="attribute values of elements")
    p.add_argument("file")
    p.add_argument("element")
    p.add_argument("attribute", nargs="?")
    p.set_defaults(fn=cmd_xpath)

    p = sub.add_parser("attrs", help="every element and attribute")
    p.add_argument("file")
    p.set_defaults(fn=cmd_attrs)

    p = sub.add_parser("unhex", help="write HEX as bytes to FILE")
    p.add_argument("hex")
    p.add_argument("file")
    p.set_defaults(fn=cmd_unhex)
    return ap.parse_args(argv)


def main(argv):
    args = parse_args(argv)
    return args.fn(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
