# Measures idle event streams and event delivery lag (BENCHMARKS.md, "Events"). It starts the jar's `serve` itself
# (a fresh SQLite data dir, a webhook to a receiver of its own, port --port and --port + 1), stops it at the end, and
# prints one JSON line of results. Usage:
#   python3 deploy/events-measure.py --jar target/hongbao.jar --idle 10000 --packets 200
# Each part runs in its own process so that Python's lock does not slow the others: the idle streams (one thread and
# a selector hold them all, each checked for its 200), the webhook receiver (fast: answers 200 at once, keeps every
# delivery, dedupes on Hongbao-Delivery), a stream of a user every open concerns (a member of the group), and the
# storm (keep-alive clients; each open's acknowledgement time is kept, to compare with the event's arrival).
# The server needs file descriptors for its idle streams: `ulimit -n` above --idle plus ~100 (deploy/hongbao.service).
import argparse, json, os, resource, selectors, signal, socket, statistics, subprocess, sys, tempfile, threading, time
import http.client, http.server, concurrent.futures, urllib.request
from datetime import datetime

ADMIN = "measure-admin-key-0123"
SECRET = "measure-webhook-secret-0123"


def at_seconds(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def raise_fd_limit():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


# --- child: hold N idle streams -------------------------------------------------------------------------------------
def hold(port, tokens_file, count):
    raise_fd_limit()
    tokens = json.load(open(tokens_file))
    sel = selectors.DefaultSelector()
    answers = {}
    started = time.time()
    for i in range(count):
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(f"GET /v1/events/stream HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {tokens[i % len(tokens)]}\r\n\r\n".encode())
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ, i)
        answers[i] = b""
    statuses = {}
    received = 0
    deadline = time.time() + 120
    while len(statuses) < count and time.time() < deadline:
        for key, _ in sel.select(1):
            data = key.fileobj.recv(65536)
            received += len(data)
            i = key.data
            if i not in statuses:
                answers[i] += data
                if b"\r\n" in answers[i]:
                    statuses[i] = answers[i].split(b" ", 2)[1].decode()
                    answers[i] = b""
            if not data:
                sel.unregister(key.fileobj)
    counts = {}
    for code in statuses.values():
        counts[code] = counts.get(code, 0) + 1
    print(json.dumps({"held": count, "statuses": counts, "unanswered": count - len(statuses),
                      "open_seconds": round(time.time() - started, 1)}), flush=True)
    # Read on (keepalives) like a browser would, until told to stop (stdin closes).
    stop = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    closed = 0
    while not stop.is_set():
        for key, _ in sel.select(0.5):
            data = key.fileobj.recv(65536)
            received += len(data)
            if not data:
                closed += 1
                sel.unregister(key.fileobj)
    print(json.dumps({"closed_by_server": closed, "bytes": received}), flush=True)


# --- child: the webhook receiver --------------------------------------------------------------------------------------
def receive(port, out_file):
    deliveries = {}
    duplicates = [0]

    class Hook(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            arrived = time.time()
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()
            delivery = self.headers["Hongbao-Delivery"]
            if delivery in deliveries:
                duplicates[0] += 1
                return
            event = json.loads(body)
            deliveries[delivery] = (event["type"], event["at"], arrived, event.get("packetId"),
                                    event.get("data", {}).get("userId"))

        def log_message(self, *a):
            pass

    class Server(http.server.ThreadingHTTPServer):
        request_queue_size = 128
        daemon_threads = True

    srv = Server(("127.0.0.1", port), Hook)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    print("ready", flush=True)
    sys.stdin.read()
    json.dump({"deliveries": deliveries, "duplicates": duplicates[0]}, open(out_file, "w"))
    print("saved", flush=True)


# --- child: one stream of a user the storm concerns ---------------------------------------------------------------
def watch(port, token, out_file):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(f"GET /v1/events/stream HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n\r\n".encode())
    seen = []
    stop = threading.Event()

    def until_stdin_closes():
        sys.stdin.read()
        stop.set()
        s.shutdown(socket.SHUT_RDWR)

    threading.Thread(target=until_stdin_closes, daemon=True).start()
    buf = b""
    status = None
    while not stop.is_set():
        try:
            d = s.recv(65536)
        except OSError:
            break
        if not d:
            break
        arrived = time.time()
        buf += d
        if status is None and b"\r\n" in buf:
            status = buf.split(b" ", 2)[1].decode()
            print(json.dumps({"status": status}), flush=True)
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            if line.startswith(b"data: "):
                e = json.loads(line[6:])
                seen.append((e["type"], e["at"], arrived, e.get("packetId"), e.get("data", {}).get("userId")))
    json.dump(seen, open(out_file, "w"))


# --- the measurement --------------------------------------------------------------------------------------------------
def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jar", required=True)
    ap.add_argument("--idle", type=int, default=0)
    ap.add_argument("--packets", type=int, default=10, help="lucky packets of 100 shares, each opened by 100 users")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--port", type=int, default=18080)
    ap.add_argument("--idle-seconds", type=int, default=60, help="the window for the idle streams' CPU")
    ap.add_argument("--java-opts", default="")
    args = ap.parse_args()
    raise_fd_limit()
    port, hook_port = args.port, args.port + 1
    base = f"http://127.0.0.1:{port}"
    work = tempfile.mkdtemp(prefix="events-measure-")
    me = os.path.abspath(__file__)
    env = dict(os.environ, HONGBAO_PORT=str(port), HONGBAO_DATA_DIR=work + "/data", HONGBAO_ADMIN_KEY=ADMIN,
               HONGBAO_WEBHOOK_URLS=f"http://127.0.0.1:{hook_port}/hook", HONGBAO_WEBHOOK_SECRET=SECRET)
    children = []
    receiver = subprocess.Popen([sys.executable, me, "_receive", str(hook_port), work + "/hooks.json"],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    children.append(receiver)
    assert receiver.stdout.readline().strip() == "ready"
    server = subprocess.Popen(["java", *args.java_opts.split(), "-jar", args.jar, "serve"], env=env,
                              stdout=open(work + "/server.log", "w"), stderr=subprocess.STDOUT)
    result = {"idle": args.idle, "jar": args.jar, "work": work}
    try:
        def call(method, path, body=None, token=ADMIN):
            req = urllib.request.Request(base + path, method=method,
                                         data=None if body is None else json.dumps(body).encode(),
                                         headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
            with urllib.request.urlopen(req, timeout=30) as r:
                return json.loads(r.read() or b"null")

        for _ in range(600):
            try:
                with urllib.request.urlopen(base + "/ready", timeout=2) as r:
                    if r.status == 200:
                        break
            except Exception:
                time.sleep(0.2)
        pid = server.pid
        def rss_kb(): return int([l for l in open(f"/proc/{pid}/status") if l.startswith("VmRSS")][0].split()[1])
        def threads(): return int([l for l in open(f"/proc/{pid}/status") if l.startswith("Threads")][0].split()[1])
        def cpu_s():
            f = open(f"/proc/{pid}/stat").read().split(")")[1].split()
            return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")
        def heap_after_gc_kb():
            subprocess.run(["jcmd", str(pid), "GC.run"], capture_output=True, timeout=60)
            info = subprocess.run(["jcmd", str(pid), "GC.heap_info"], capture_output=True, text=True, timeout=60).stdout
            for line in info.splitlines():
                if "used" in line and "total" in line:
                    return int(line.split("used")[1].split("K")[0].strip())
            return None

        users = [f"m{i:03d}" for i in range(150)]
        tokens = {}
        for u in users:
            call("POST", "/v1/admin/users", {"userId": u, "name": u})
            tokens[u] = call("POST", f"/v1/admin/users/{u}/tokens", {"ttlSeconds": 86400})["token"]
        call("POST", "/v1/admin/groups", {"groupId": "mg", "name": "mg", "members": users})
        call("POST", "/v1/admin/users/m000/deposits", {"amount": 100_000_000, "reference": "m-bank"})
        idle_tokens = []
        for i in range(100):
            u = f"idle{i:03d}"
            call("POST", "/v1/admin/users", {"userId": u, "name": u})
            idle_tokens.append(call("POST", f"/v1/admin/users/{u}/tokens", {"ttlSeconds": 86400})["token"])
        json.dump(idle_tokens, open(work + "/idle-tokens.json", "w"))

        # The concerned stream first (m149: a member who neither sends nor opens), so the node follows the logs
        # from here on: what the idle streams add is theirs alone.
        watcher = subprocess.Popen([sys.executable, me, "_watch", str(port), tokens["m149"], work + "/stream.json"],
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        children.append(watcher)
        result["watch_status"] = json.loads(watcher.stdout.readline())["status"]
        time.sleep(2)
        heap0, rss0, threads0 = heap_after_gc_kb(), rss_kb(), threads()
        c0 = cpu_s(); time.sleep(args.idle_seconds); c1 = cpu_s()
        result["before"] = {"rss_kb": rss0, "heap_after_gc_kb": heap0, "threads": threads0,
                            "cpu_s_per_s": round((c1 - c0) / args.idle_seconds, 4)}
        if args.idle:
            holder = subprocess.Popen([sys.executable, me, "_hold", str(port), work + "/idle-tokens.json", str(args.idle)],
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
            children.append(holder)
            result["hold"] = json.loads(holder.stdout.readline())
            time.sleep(5)
            heap1, rss1, threads1 = heap_after_gc_kb(), rss_kb(), threads()
            c0 = cpu_s(); time.sleep(args.idle_seconds); c1 = cpu_s()
            result["with_idle"] = {"rss_kb": rss1, "heap_after_gc_kb": heap1, "threads": threads1,
                                   "cpu_s_per_s": round((c1 - c0) / args.idle_seconds, 4),
                                   "open_fds": len(os.listdir(f"/proc/{pid}/fd"))}
            n = args.idle
            result["per_idle_stream"] = {
                "rss_kb": round((rss1 - rss0) / n, 2),
                "heap_kb": round((heap1 - heap0) / n, 2) if heap0 and heap1 else None,
                "cpu_us_per_s": round((result["with_idle"]["cpu_s_per_s"] - result["before"]["cpu_s_per_s"]) / n * 1e6, 3)}

        # The storm: --packets lucky packets of 100 shares from m000 to the group, each opened by m001..m100.
        packets = [call("POST", "/v1/packets", {"kind": "GROUP_LUCKY", "groupId": "mg", "total": 10000, "count": 100},
                        tokens["m000"])["id"] for _ in range(args.packets)]
        opens = [(p, u) for u in users[1:101] for p in packets]
        acks = {}
        lock = threading.Lock()
        next_open = [0]
        failures = [0]

        def client():
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            while True:
                with lock:
                    if next_open[0] >= len(opens):
                        return
                    p, u = opens[next_open[0]]
                    next_open[0] += 1
                try:
                    conn.request("POST", f"/v1/packets/{p}/open", body=b"",
                                 headers={"Authorization": "Bearer " + tokens[u], "Content-Length": "0"})
                    r = conn.getresponse(); r.read()
                    if r.status == 200:
                        acks[(str(p), u)] = time.time()
                    else:
                        failures[0] += 1
                except Exception:
                    failures[0] += 1
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

        cpu_storm0 = cpu_s()
        t0 = time.time()
        with concurrent.futures.ThreadPoolExecutor(args.clients) as ex:
            for f in [ex.submit(client) for _ in range(args.clients)]:
                f.result()
        dt = time.time() - t0
        result["storm"] = {"opens": len(acks), "failed": failures[0], "seconds": round(dt, 2),
                           "opens_per_s": round(len(acks) / dt), "clients": args.clients,
                           "server_cpu_s": round(cpu_s() - cpu_storm0, 2)}

        # Wait for every packet.opened at the receiver (bounded), then for the stream.
        def hook_count():
            for line in os.popen(f"curl -s {base}/metrics"):
                if line.startswith("hongbao_webhook_delivered_total"):
                    return float(line.split()[-1])
            return 0
        expected_events = len(acks) + 2 * len(packets)  # + packet.sent and packet.finished each
        deadline = time.time() + 600
        while hook_count() < expected_events and time.time() < deadline:
            time.sleep(0.5)
        result["webhook_wait_s"] = round(time.time() - t0, 1)
        time.sleep(2)
        for child in (watcher, receiver):
            child.stdin.close()
        receiver.stdout.readline()
        watcher.wait(30)
        hooks = json.load(open(work + "/hooks.json"))
        seen = json.load(open(work + "/stream.json"))

        def pct(xs, p):
            xs = sorted(xs)
            return round(xs[min(len(xs) - 1, int(p * len(xs)))] * 1000) if xs else None

        def lags(rows, name):
            opened = [r for r in rows if r[0] == "packet.opened"]
            from_at = [r[2] - at_seconds(r[1]) for r in opened]
            from_ack = [r[2] - acks[(r[3], r[4])] for r in opened if (r[3], r[4]) in acks]
            return {name + "_opened": len(opened),
                    "from_at_ms": {"p50": pct(from_at, .5), "p99": pct(from_at, .99), "max": pct(from_at, 1)},
                    "from_ack_ms": {"p50": pct(from_ack, .5), "p99": pct(from_ack, .99), "max": pct(from_ack, 1)}}

        rows = list(hooks["deliveries"].values())
        result["webhook"] = lags(rows, "delivered") | {"duplicates": hooks["duplicates"], "events": len(rows),
            "last_after_storm_start_s": round(max(r[2] for r in rows) - t0, 1) if rows else None}
        result["stream"] = lags(seen, "seen")
        if args.idle:
            holder.stdin.close()
            result["hold_end"] = json.loads(holder.stdout.readline())
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(60)
        except subprocess.TimeoutExpired:
            server.kill()
        for child in children:
            if child.poll() is None:
                child.kill()
        result["server_exit"] = server.returncode
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_hold":
        hold(int(sys.argv[2]), sys.argv[3], int(sys.argv[4]))
    elif len(sys.argv) > 1 and sys.argv[1] == "_receive":
        receive(int(sys.argv[2]), sys.argv[3])
    elif len(sys.argv) > 1 and sys.argv[1] == "_watch":
        watch(int(sys.argv[2]), sys.argv[3], sys.argv[4])
    else:
        main()
