"""Mixed concurrent writes, and a check that none failed or vanished.

At each concurrency (1 to 64 by default) clients send a bounded number of writes: ticket
confirmations with a changed summary (on a small set of tickets, so they collide), knowledge edits
(on a few items) and knowledge feedback. Every write carries a unique token. Afterwards every
acknowledged token must be in the history — the ticket's events, the item's versions — and each
ticket must hold the summary its last event gave it; anything else is a lost update. Prints one
JSON line per concurrency. Loopback only, standard library only.
"""

import json
import random
import threading
import time
import uuid

from loadlib import arguments, connect, open_session, request, summary, timed

HOT_TICKETS = 20
LETTERS = str.maketrans("0123456789", "ghijklmnop")
HOT_ITEMS = 5


def main():
    parser = arguments()
    parser.add_argument("--concurrency", default="1,2,4,8,16,32,64")
    parser.add_argument("--requests", type=int, default=300, help="writes per concurrency")
    parser.add_argument("--max-seconds", type=float, default=300, help="per concurrency")
    args = parser.parse_args()
    host, conn, cookie = open_session(args)
    _, data, _ = request(conn, "GET", f"/api/v1/tickets?limit={HOT_TICKETS}", cookie)
    tickets = [t["id"] for t in json.loads(data)["items"]]
    _, data, _ = request(conn, "GET", "/api/v1/teams", cookie)
    teams = [t["code"] for t in json.loads(data)["items"] if t["dispatch"]]
    _, data, _ = request(conn, "GET", f"/api/v1/knowledge?kind=faq&limit={HOT_ITEMS}", cookie)
    items = json.loads(data)["items"]
    if not tickets or not items:
        raise SystemExit("the workspace needs tickets and FAQs (run against `seatmate demo`)")

    for level in [int(c) for c in args.concurrency.split(",")]:
        print(json.dumps(run_level(host, cookie, tickets, teams, items, level, args)), flush=True)


def run_level(host, cookie, tickets, teams, items, concurrency, args):
    rng = random.Random(concurrency)
    plan = []
    for _ in range(args.requests):
        roll = rng.random()
        # letters only: a token of digits could pass for a phone number and be masked on storage
        token = uuid.uuid4().hex[:12].translate(LETTERS)
        if roll < 0.5:
            plan.append(("confirm", rng.choice(tickets), token, rng.choice(teams) if teams else None))
        elif roll < 0.75:
            plan.append(("edit", rng.randrange(len(items)), token, None))
        else:
            plan.append(("feedback", rng.randrange(len(items)), token, rng.choice(["used", "unhelpful"])))
    acked = {"confirm": {}, "edit": {}}
    latencies, statuses, lock = [], {}, threading.Lock()
    deadline = time.monotonic() + args.max_seconds

    def send(c, step):
        kind, target_, token, extra = step
        if kind == "confirm":
            body = {"summary": f"w-{token}"}
            if extra:
                body["team"] = extra
            return request(c, "POST", f"/api/v1/tickets/{target_}/confirm", cookie, body)[0]
        item = items[target_]
        if kind == "edit":
            body = {"title": f"{item['title']} · w-{token}", "body": item["body"], "category": item.get("category"), "tags": item.get("tags", [])}
            return request(c, "PUT", f"/api/v1/knowledge/{item['id']}", cookie, body)[0]
        return request(c, "POST", f"/api/v1/knowledge/{item['id']}/feedback", cookie, {"verdict": extra, "query": f"w-{token}"})[0]

    def client():
        c = connect(host)
        while time.monotonic() < deadline:
            with lock:
                if not plan:
                    return
                step = plan.pop()
            code, elapsed, c = timed(c, host, lambda c: send(c, step))
            with lock:
                latencies.append(elapsed)
                statuses[str(code)] = statuses.get(str(code), 0) + 1
                if code == 200 and step[0] in acked:
                    acked[step[0]].setdefault(step[1], set()).add(f"w-{step[2]}")

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started

    lost = 0
    c = connect(host)
    for ticket, tokens in acked["confirm"].items():
        _, data, _ = request(c, "GET", f"/api/v1/tickets/{ticket}", cookie)
        detail = json.loads(data)
        given = [e["new_value"] for e in detail["events"] if e.get("field") == "summary"]
        lost += len(tokens - set(given))
        if given and detail["ticket"]["summary"] != given[-1]:
            lost += 1
    for index, tokens in acked["edit"].items():
        _, data, _ = request(c, "GET", f"/api/v1/knowledge/{items[index]['id']}/history", cookie)
        titles = {v["title"].rsplit(" · ", 1)[-1] for v in json.loads(data)["items"]}
        lost += len(tokens - titles)
    return {
        "concurrency": concurrency,
        "requests": len(latencies),
        "statuses": statuses,
        "server_errors": sum(n for code, n in statuses.items() if code.startswith("5") or code == "connection error"),
        "lost_updates": lost,
        **summary(latencies),
        "per_second": round(len(latencies) / wall, 1),
    }


if __name__ == "__main__":
    main()
