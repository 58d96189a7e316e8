"""Time from start to serving after a crash. Starts `seatmate demo` on a fresh workspace, waits for
the knowledge index, kills the server with SIGKILL in the middle of a stream of writes, starts
`seatmate serve` on the same workspace and measures the time to the first answer of /health and
to a built knowledge index (its vectors come from the cache that survived the kill). Prints one
JSON line. Loopback only, standard library only.
"""

import argparse
import json
import signal
import subprocess
import threading
import time

from loadlib import connect, login, request, wait_for_index

def wait_health(host, deadline):
    while time.monotonic() < deadline:
        try:
            status, _, _ = request(connect(host, timeout=2), "GET", "/health")
            if status == 200:
                return True
        except OSError:
            pass
        time.sleep(0.05)
    return False


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--database", default="")
    parser.add_argument("--password", default="seatmate-demo")
    args = parser.parse_args()
    host = ("127.0.0.1", args.port)
    common = [args.bin] + (["--database", args.database] if args.database else [])
    where = ["--data-dir", args.data_dir, "--listen", f"127.0.0.1:{args.port}", "--metrics-listen", "127.0.0.1:0"]

    first = subprocess.Popen(common + ["demo"] + where, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        if not wait_health(host, time.monotonic() + 600):
            raise SystemExit("the demo server did not start")
        cookie = login(connect(host), "admin", args.password)
        wait_for_index(connect(host), cookie)
        _, data, _ = request(connect(host), "GET", "/api/v1/tickets?limit=20", cookie)
        tickets = [t["id"] for t in json.loads(data)["items"]]
        acked, stop = [], threading.Event()

        def writer():
            c = connect(host)
            n = 0
            while not stop.is_set():
                n += 1
                try:
                    status, _, _ = request(c, "POST", f"/api/v1/tickets/{tickets[n % len(tickets)]}/confirm", cookie, {"summary": f"r-{n}"})
                except OSError:
                    return
                if status == 200:
                    acked.append((tickets[n % len(tickets)], f"r-{n}"))

        thread = threading.Thread(target=writer)
        thread.start()
        time.sleep(2)
        first.send_signal(signal.SIGKILL)
        first.wait()
        stop.set()
        thread.join()
    finally:
        if first.poll() is None:
            first.kill()

    started = time.monotonic()
    second = subprocess.Popen(common + ["serve"] + where, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        if not wait_health(host, started + 600):
            raise SystemExit("the server did not come back")
        serving = time.monotonic() - started
        cookie = login(connect(host), "admin", args.password)
        info = wait_for_index(connect(host), cookie)
        indexed = time.monotonic() - started
        kept = 0
        for ticket, summary in acked:
            _, data, _ = request(connect(host), "GET", f"/api/v1/tickets/{ticket}", cookie)
            events = json.loads(data)["events"]
            kept += any(e.get("new_value") == summary for e in events)
        print(json.dumps({
            "serving_after_s": round(serving, 2),
            "index_built_after_s": round(indexed, 2),
            "index_items": info["items"],
            "index_cases": info["cases"],
            "acknowledged_before_kill": len(acked),
            "kept_after_restart": kept,
        }))
    finally:
        second.send_signal(signal.SIGTERM)
        try:
            second.wait(timeout=30)
        except subprocess.TimeoutExpired:
            second.kill()


if __name__ == "__main__":
    main()
