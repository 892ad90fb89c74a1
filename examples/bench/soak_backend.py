#!/usr/bin/env python3
"""The soak's origin: HTTP/1.1 keep-alive, answers every GET with 200 'ok', except /silent, which it reads and
never answers (a silent upstream on a route without timeout). Prints its port."""
import http.server, sys, time

class Ok(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        if self.path.startswith("/silent"):
            while self.rfile.read(1):  # until the proxy gives up and closes
                pass
            return
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")
    def log_message(self, *args):
        pass

server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Ok)
print(server.server_address[1], flush=True)
server.serve_forever()
