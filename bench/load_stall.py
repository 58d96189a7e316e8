"""Does heavy work stall light requests? `GET /api/v1/me` latency measured by one client, alone
and then while other clients flood logins (argon2 hashing), large classifications and ticket
pre-fills. Prints one JSON line per phase. Loopback only, standard library only.
"""

import itertools
import json
import threading
import time

from loadlib import arguments, connect, open_session, request, summary, timed

# about 58 KiB of ticket text: near the most /classify accepts (64 KiB)
BIG_TEXT = "宽带断网，光猫红灯一直闪，重启了好几次还是不行，请尽快派人上门维修。" * 600


def main():
    parser = arguments()
    parser.add_argument("--seconds", type=float, default=15, help="per phase")
    parser.add_argument("--flood", type=int, default=16, help="clients flooding in each loaded phase")
    args = parser.parse_args()
    host, conn, cookie = open_session(args)

    def log_in(c):
        return request(c, "POST", "/api/v1/auth/login", body={"username": args.user, "password": args.password})[0]

    def classify(c):
        return request(c, "POST", "/api/v1/classify", cookie, {"text": BIG_TEXT})[0]

    _, data, _ = request(conn, "GET", "/api/v1/conversations?limit=500", cookie)
    conversations = [c["id"] for c in json.loads(data)["items"]]
    picks = itertools.cycle(conversations)

    def prefill(c):
        return request(c, "POST", f"/api/v1/conversations/{next(picks)}/ticket", cookie)[0]

    phases = [
        ("alone", None, 0),
        ("login flood", log_in, args.flood),
        ("classify flood", classify, args.flood),
        ("pre-fill flood", prefill, args.flood),
    ]
    for name, load, clients in phases:
        print(json.dumps({"phase": name, **phase(host, cookie, load, clients, args.seconds)}), flush=True)


def phase(host, cookie, load, clients, seconds):
    stop = time.monotonic() + seconds
    statuses, lock = {}, threading.Lock()
    done = [0]

    def flood():
        c = connect(host)
        while time.monotonic() < stop:
            code, _, c = timed(c, host, load)
            with lock:
                statuses[str(code)] = statuses.get(str(code), 0) + 1
                done[0] += 1

    threads = [threading.Thread(target=flood) for _ in range(clients)]
    for t in threads:
        t.start()
    me, c = [], connect(host)
    while time.monotonic() < stop:
        status, elapsed, c = timed(c, host, lambda c: request(c, "GET", "/api/v1/me", cookie)[0])
        me.append(elapsed)
        if status != 200:
            raise SystemExit(f"/me answered {status}")
        time.sleep(0.02)
    for t in threads:
        t.join()
    result = {"me_requests": len(me), **{f"me_{k}": v for k, v in summary(me).items()}}
    if load:
        result.update({"load_clients": clients, "load_statuses": statuses, "load_per_second": round(done[0] / seconds, 1)})
    return result


if __name__ == "__main__":
    main()
