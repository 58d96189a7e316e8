"""Ticket pre-fill under concurrent load: POST /api/v1/conversations/{id}/ticket from many clients.

Runs against a Seatmate server on loopback (started by `cargo xtask bench prefill`, or by hand),
bounded in requests and time, and prints one JSON line: latency percentiles, throughput, errors.
Standard library only.
"""

import json
import random
import threading
import time

from loadlib import arguments, connect, open_session, percentile, request, timed


def main():
    parser = arguments()
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--max-seconds", type=float, default=300)
    args = parser.parse_args()
    host, conn, cookie = open_session(args)
    status, data, _ = request(conn, "GET", "/api/v1/conversations?limit=500", cookie)
    ids = [c["id"] for c in json.loads(data)["items"]]
    if not ids:
        raise SystemExit("no conversations to pre-fill")
    # every conversation's ticket exists once, as after a day's work: the load measures the suggestion
    for conversation in ids:
        request(conn, "POST", f"/api/v1/conversations/{conversation}/ticket", cookie)

    latencies, statuses, lock = [], {}, threading.Lock()
    remaining = [args.requests]
    deadline = time.monotonic() + args.max_seconds
    rng = random.Random(7)
    picks = [rng.choice(ids) for _ in range(args.requests)]

    def client():
        c = connect(host)
        while time.monotonic() < deadline:
            with lock:
                if remaining[0] == 0:
                    return
                remaining[0] -= 1
                conversation = picks[remaining[0]]
            code, elapsed, c = timed(c, host, lambda c: request(c, "POST", f"/api/v1/conversations/{conversation}/ticket", cookie)[0])
            with lock:
                latencies.append(elapsed)
                statuses[str(code)] = statuses.get(str(code), 0) + 1

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(args.concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    latencies.sort()
    print(json.dumps({
        "concurrency": args.concurrency,
        "requests": len(latencies),
        "statuses": statuses,
        "p50_ms": round(percentile(latencies, 50), 2),
        "p95_ms": round(percentile(latencies, 95), 2),
        "p99_ms": round(percentile(latencies, 99), 2),
        "max_ms": round(latencies[-1], 2),
        "per_second": round(len(latencies) / wall, 1),
    }))


if __name__ == "__main__":
    main()
