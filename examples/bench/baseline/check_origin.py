"""Origin for check.sh: keep-alive HTTP/1.1 with Content-Length, chunked and close-delimited bodies.

Every response says which client port asked (X-Peer-Port: the proxy's upstream connection) and which request
headers arrived (X-Seen-Headers), so that check.sh can see connection reuse and hop-by-hop headers dropped.
"""
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Origin(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def common(self):
        self.send_header("X-Peer-Port", str(self.client_address[1]))
        self.send_header("X-Seen-Headers", ",".join(sorted(k.lower() for k in self.headers.keys())))
        self.send_header("X-Seen-Version", self.request_version)

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        body = b"x" * 16384 if self.path == "/16k" else b"hello world!\n"
        if self.path == "/chunked":
            self.send_response(200)
            self.common()
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            if self.command != "HEAD":
                for part in (b"first,", b"x" * 20000, b",last\n"):
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
                self.wfile.write(b"0\r\n\r\n")
            return
        if self.path == "/close":  # no length: the close ends the body
            self.send_response(200)
            self.common()
            self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(b"until the close\n")
            self.close_connection = True
            return
        self.send_response(200)
        self.common()
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "keep-alive, X-Hop")
        self.send_header("X-Hop", "must not pass")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_POST(self):
        n = int(self.headers.get("Content-Length", 0))
        body = self.rfile.read(n) if n else b""
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            while True:
                size = int(self.rfile.readline().strip(), 16)
                body += self.rfile.read(size) if size else b""
                self.rfile.readline()
                if not size:
                    break
        self.send_response(200)
        self.common()
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Origin).serve_forever()
