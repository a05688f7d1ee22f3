"""Client of bench/replicas (standard library only): statement submit -> SUCCEEDED -> every chunk
fetched as Arrow, interleaved statement by statement between the balancer in front of the
postgresql replicas ("pg"), the memory-store gateway ("memory") and one postgresql replica without
the balancer ("pg-direct"). Settings come from the environment."""
import datetime
import http.client
import json
import os
import platform
import statistics
import sys
import time

env = os.environ
ROWS, PARTITIONS = int(env["ROWS"]), int(env["PARTITIONS"])
ITERATIONS, WARMUP, SMALL = int(env["ITERATIONS"]), int(env["WARMUP"]), int(env["SMALL"])
# pg-direct (replica-1 without the balancer) tells the store's own cost from the balancer's and
# the cross-replica requests'.
TARGETS = {"pg": int(env["LB_PORT"]), "memory": int(env["MEM_PORT"]), "pg-direct": int(env["R1_PORT"])}
ARROW = "application/vnd.apache.arrow.stream"
BIG = f"SELECT id, repeat('x', 100) AS s FROM range(0, {ROWS}, 1, {PARTITIONS})"
ONE = "SELECT 1 AS one"
conns = {}


def say(text):
    print(f"[replicas {time.strftime('%H:%M:%S')}] {text}", flush=True)


def request(side, method, path, body=None, accept="application/json"):
    """One request on the side's keep-alive connection; returns (status, body bytes)."""
    headers = {"Accept": accept}
    if body is not None:
        body = json.dumps(body)
        headers["Content-Type"] = "application/json"
    for attempt in (1, 2):
        conn = conns.get(side) or http.client.HTTPConnection("127.0.0.1", TARGETS[side], timeout=300)
        conns[side] = conn
        try:
            conn.request(method, path, body=body, headers=headers)
            r = conn.getresponse()
            return r.status, r.read()
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
            conn.close()
            conns.pop(side, None)
            if attempt == 2:
                raise


def statement(side, sql, wait):
    """Submit, wait for SUCCEEDED (waitTimeout, then GET polls every 20 ms), fetch every chunk as
    Arrow. Returns (total s, until-SUCCEEDED s, chunks, bytes, polls). Untimed DELETE after."""
    t0 = time.perf_counter()
    status, body = request(side, "POST", "/v1/statements", {"sql": sql, "waitTimeout": wait})
    if status not in (200, 202):
        raise SystemExit(f"{side}: submit HTTP {status}: {body[:500]!r}")
    st = json.loads(body)
    sid, polls = st["statementId"], 0
    while st["state"] in ("PENDING", "RUNNING"):
        time.sleep(0.02)
        status, body = request(side, "GET", f"/v1/statements/{sid}")
        if status != 200:
            raise SystemExit(f"{side}: GET {sid} HTTP {status}: {body[:500]!r}")
        st = json.loads(body)
        polls += 1
    if st["state"] != "SUCCEEDED" or not st["result"]["complete"]:
        raise SystemExit(f"{side}: statement {sid} ended {st['state']}: {json.dumps(st.get('error'))}")
    t1 = time.perf_counter()
    chunks, total = st["result"]["chunks"], 0
    for chunk in chunks:
        status, data = request(side, "GET", f"/v1/statements/{sid}/result/chunks/{chunk['index']}", accept=ARROW)
        if status != 200:
            raise SystemExit(f"{side}: chunk {chunk['index']} of {sid} HTTP {status}: {data[:500]!r}")
        if len(data) != chunk["byteCount"]:
            raise SystemExit(f"{side}: chunk {chunk['index']} of {sid}: {len(data)} bytes, manifest says {chunk['byteCount']}")
        total += len(data)
    t2 = time.perf_counter()
    status, body = request(side, "DELETE", f"/v1/statements/{sid}")
    if status != 200:
        raise SystemExit(f"{side}: DELETE {sid} HTTP {status}: {body[:500]!r}")
    return t2 - t0, t1 - t0, len(chunks), total, polls


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(p / 100 * len(s) + 0.5) - 1))]


def run(name, sql, wait, warmup, n):
    say(f"{name}: {warmup} warm-up + {n} interleaved runs per side")
    for _ in range(warmup):
        for side in TARGETS:
            statement(side, sql, wait)
    samples = {side: [] for side in TARGETS}
    for i in range(n):
        sides = list(TARGETS)
        for side in sides[i % len(sides):] + sides[:i % len(sides)]:
            samples[side].append(statement(side, sql, wait))
        if (i + 1) % max(1, n // 6) == 0 or i + 1 == n:
            med = {k: statistics.median(s[0] for s in v) * 1000 for k, v in samples.items()}
            say(f"  {name} {i + 1}/{n}: median " + ", ".join(f"{k} {v:.1f} ms" for k, v in med.items()))
    return samples


started = datetime.datetime.now(datetime.timezone.utc)
t_start = time.perf_counter()
results = [
    ("multi-chunk", f"`{BIG}`, chunk-size {env['CHUNK_SIZE']}, waitTimeout 60 s", run("multi-chunk", BIG, 60, WARMUP, ITERATIONS)),
    ("small", f"`{ONE}`, waitTimeout 60 s, chunk 0 as Arrow", run("small", ONE, 60, 10, SMALL)),
    ("small, polled", f"`{ONE}`, waitTimeout 0, GET every 20 ms until SUCCEEDED, chunk 0", run("small, polled", ONE, 0, 10, SMALL)),
]
elapsed = time.perf_counter() - t_start


def metric_lines(port):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/q/metrics")
    text = conn.getresponse().read().decode()
    conn.close()
    return text.splitlines()


def served(port, needle):
    total = 0
    for line in metric_lines(port):
        if line.startswith("http_server_requests_seconds_count") and needle in line:
            total += float(line.rsplit(" ", 1)[1])
    return int(total)


spread = {name: (served(int(env[var]), "/chunks/"), served(int(env[var]), 'method="POST",') )
          for name, var in (("replica-1", "R1_PORT"), ("replica-2", "R2_PORT"))}

rows = []
for name, what, samples in results:
    pg, mem, direct = ([s[0] * 1000 for s in samples[side]] for side in ("pg", "memory", "pg-direct"))
    until = {side: statistics.median(s[1] for s in samples[side]) * 1000 for side in samples}
    chunks = {s[2] for s in samples["pg"] + samples["memory"]}
    nbytes = samples["pg"][0][3]
    polls = {side: statistics.mean(s[4] for s in samples[side]) for side in samples}
    ratio = statistics.median(mem) / statistics.median(pg)
    rows.append((name, what, len(pg), pg, mem, until, chunks, nbytes, polls, ratio, direct))

lines = [
    "# Statements on PostgreSQL behind a balancer vs the memory store (issue #13)",
    "",
    f"Run {started:%Y-%m-%d %H:%M} UTC ({elapsed:.0f} s of requests), main at {env['REV']}, `{env['COMMAND'].strip()}`.",
    f"{os.cpu_count()} cores, Python {platform.python_version()} client, {env['PG_VERSION']} "
    f"(fsync/synchronous_commit {env['PG_SYNC']}), one Spark Connect server local[2], haproxy round-robin.",
    f"Load before: `{env['UPTIME_BEFORE'].strip()}`; after: load average {', '.join(f'{x:.2f}' for x in os.getloadavg())}.",
    "",
    "pg = POST, GET and chunk requests through haproxy to two replicas with `gateway.statements.store=postgresql` "
    "sharing one spool dir; memory = one gateway with the memory store; pg-direct = replica-1 of the two without "
    "the balancer. Same Spark, same settings, the three sides' runs interleaved (order rotated each round). Time = submit until the last chunk's last byte. Ratio = memory / pg median time "
    "(pg speed relative to memory; goal >= 0.9).",
    "",
    "| workload | runs/side | pg p50 ms | pg p90 ms | memory p50 ms | memory p90 ms | ratio | goal | until SUCCEEDED p50 pg / memory ms | pg-direct p50 / p90 ms | memory / pg-direct | chunks | Arrow bytes |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
]
for name, what, n, pg, mem, until, chunks, nbytes, polls, ratio, direct in rows:
    verdict = ("met" if ratio >= 0.9 else "**missed**") if name == "multi-chunk" else ""
    lines.append(f"| {name} | {n} | {statistics.median(pg):.1f} | {pct(pg, 90):.1f} | {statistics.median(mem):.1f} | "
                 f"{pct(mem, 90):.1f} | {ratio:.2f} | {'>= 0.9 ' + verdict if verdict else ''} | "
                 f"{until['pg']:.1f} / {until['memory']:.1f} | {statistics.median(direct):.1f} / {pct(direct, 90):.1f} | "
                 f"{statistics.median(mem) / statistics.median(direct):.2f} | {'/'.join(map(str, sorted(chunks)))} | {nbytes} |")
lines.append("")
for name, what, n, pg, mem, until, chunks, nbytes, polls, ratio, direct in rows:
    extra = ("; GET polls per statement " + ", ".join(f"{k} {v:.1f}" for k, v in polls.items())) if name.endswith("polled") else ""
    if nbytes > 1e6:
        extra += "; MB/s at p50: " + ", ".join(f"{k} {nbytes / 1e3 / statistics.median(v):.0f}"
                                            for k, v in (("pg", pg), ("memory", mem), ("pg-direct", direct)))
    lines.append(f"- {name}: {what}{extra}.")
lines.append("- Spread over the replicas (requests each served, from their /q/metrics): "
             + ", ".join(f"{k}: {c} chunk GETs, {p} POSTs" for k, (c, p) in spread.items()) + ".")
report = "\n".join(lines) + "\n"
os.makedirs(os.path.dirname(env["OUT"]), exist_ok=True)
with open(env["OUT"], "w") as f:
    f.write(report)
with open(os.path.splitext(env["OUT"])[0] + ".csv", "w") as f:
    f.write("workload,side,run,total_ms,until_succeeded_ms,chunks,bytes,polls\n")
    for name, _, samples in results:
        for side, values in samples.items():
            for i, s in enumerate(values):
                f.write(f"{name},{side},{i},{s[0] * 1000:.3f},{s[1] * 1000:.3f},{s[2]},{s[3]},{s[4]}\n")
print(report, flush=True)
say(f"written {env['OUT']}")
