# Measures idle event streams and event delivery lag (BENCHMARKS.md, "Events"): run against a fresh
# `target/hongbao serve` on port 18080 with HONGBAO_ADMIN_KEY=measure-admin-key-0123 and
# HONGBAO_WEBHOOK_URLS=http://127.0.0.1:18081/hook (and HONGBAO_WEBHOOK_SECRET); its pid in the file HONGBAO_PID_FILE (default /tmp/evm/pid), for its memory and CPU. Usage: python3 deploy/events-measure.py IDLE_STREAMS
import json, time, threading, urllib.request, socket, sys, os, subprocess, statistics, http.server, concurrent.futures
BASE = "http://127.0.0.1:18080"; ADMIN = "measure-admin-key-0123"
IDLE = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
def call(method, path, body=None, token=ADMIN):
    req = urllib.request.Request(BASE + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                 headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read() or b"null")
hook_lags = []
hook_times = []
class Hook(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        hook_times.append(time.time())
        if body["type"] == "packet.opened":
            at = body["at"]; t = time.time()
            from datetime import datetime
            hook_lags.append(t - datetime.fromisoformat(at.replace("Z", "+00:00")).timestamp())
        self.send_response(200); self.send_header("Content-Length", "0"); self.end_headers()
    def log_message(self, *a): pass
srv = http.server.ThreadingHTTPServer(("127.0.0.1", 18081), Hook); threading.Thread(target=srv.serve_forever, daemon=True).start()
pid = int(open(os.environ.get("HONGBAO_PID_FILE", "/tmp/evm/pid")).read())
def rss_kb(): return int([l for l in open(f"/proc/{pid}/status") if l.startswith("VmRSS")][0].split()[1])
def cpu_s(): f = open(f"/proc/{pid}/stat").read().split(")")[1].split(); return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")
users = [f"m{i:03d}" for i in range(150)]
tokens = {}
for u in users:
    call("POST", "/v1/admin/users", {"userId": u, "name": u})
    tokens[u] = call("POST", f"/v1/admin/users/{u}/tokens", {"ttlSeconds": 86400})["token"]
call("POST", "/v1/admin/groups", {"groupId": "mg", "name": "mg", "members": users})
call("POST", "/v1/admin/users/m000/deposits", {"amount": 10_000_000, "reference": "m-bank"})
idle_users = [f"idle{i:03d}" for i in range(100)]
for u in idle_users:
    call("POST", "/v1/admin/users", {"userId": u, "name": u})
    tokens[u] = call("POST", f"/v1/admin/users/{u}/tokens", {"ttlSeconds": 86400})["token"]
# idle SSE connections: streams of users the storm does not concern
time.sleep(1); rss0 = rss_kb(); cpu0 = cpu_s()
socks = []
for i in range(IDLE):
    s = socket.create_connection(("127.0.0.1", 18080))
    s.sendall(f"GET /v1/events/stream HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {tokens[idle_users[i % len(idle_users)]]}\r\n\r\n".encode())
    socks.append(s)
time.sleep(5); rss1 = rss_kb(); cpu1 = cpu_s(); time.sleep(10); cpu2 = cpu_s()
print(f"idle SSE: {IDLE} streams: RSS {rss0} -> {rss1} kB ({(rss1 - rss0) / max(IDLE, 1):.1f} kB each); idle CPU {cpu2 - cpu1:.2f} s over 10 s")
# one watched stream for lag
from datetime import datetime
sse_lags = []
def watch():
    s = socket.create_connection(("127.0.0.1", 18080))
    s.sendall(f"GET /v1/events/stream HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {tokens['m000']}\r\n\r\n".encode())
    buf = b""
    while True:
        d = s.recv(65536)
        if not d: return
        buf += d
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            if line.startswith(b"data: "):
                e = json.loads(line[6:])
                if e["type"] == "packet.opened":
                    sse_lags.append(time.time() - datetime.fromisoformat(e["at"].replace("Z", "+00:00")).timestamp())
threading.Thread(target=watch, daemon=True).start(); time.sleep(1)
packets = [call("POST", "/v1/packets", {"kind": "GROUP_LUCKY", "groupId": "mg", "total": 10000, "count": 100}, tokens["m000"])["id"] for _ in range(10)]
opens = [(p, u) for p in packets for u in users[:100]]
t0 = time.time()
def op(pu):
    try: call("POST", f"/v1/packets/{pu[0]}/open", None, tokens[pu[1]]); return 1
    except Exception as e: return 0
with concurrent.futures.ThreadPoolExecutor(50) as ex: ok = sum(ex.map(op, opens))
dt = time.time() - t0
time.sleep(5)
within5 = len(hook_lags)
deadline = time.time() + 120
while len(hook_lags) < ok and time.time() < deadline: time.sleep(0.2)
def pct(xs, p): xs = sorted(xs); return xs[min(len(xs) - 1, int(p * len(xs)))] * 1000 if xs else float('nan')
print(f"storm: {ok} opens in {dt:.1f} s ({ok / dt:.0f}/s over HTTP, 50 clients, with {IDLE} idle streams)")
print(f"lag to SSE ({len(sse_lags)}): p50 {pct(sse_lags, .5):.0f} ms p99 {pct(sse_lags, .99):.0f} ms; to webhook ({len(hook_lags)}, {within5} within 5 s of the storm's end): p50 {pct(hook_lags, .5):.0f} ms p99 {pct(hook_lags, .99):.0f} ms")
ts = sorted(hook_times)
print(f"webhook: {len(ts)} requests taken in {ts[-1] - t0:.1f} s from the storm's start: {len(ts) / max(ts[-1] - t0, 1e-9):.0f} events/s" if ts else "webhook: nothing delivered")
