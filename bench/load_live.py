"""Live load: N concurrent conversations streamed in over loopback WebSockets, each its own
sender, replaying real dialogues (STC-3 DCH-1 helpdesk, Chinese). One desk (an admin, who sees
every conversation) follows the events WebSocket. Measures, per level of N:
- turn-in → event-out latency (from sending a turn to its event, with signals, reaching the desk),
  p50/p95/p99, and the sender's acknowledgement latency;
- events lost (a turn acknowledged but never seen on the desk) and duplicated (seen twice);
- the server's resident memory (when --server-pid is given).
Then reports the largest N whose p95 stays under 50 ms. Prints one JSON line per level and one
summary line. Needs `websockets` (bench/requirements.txt).
"""

import asyncio
import json
import os
import random
import time

import websockets

from loadlib import arguments, connect, login, request, target, wait_for_index


def dialogues(path, limit_turns):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    out = []
    for d in data:
        turns = []
        for t in d["turns"]:
            text = "\n".join(u.strip() for u in t["utterances"] if u.strip())
            if text:
                turns.append(("customer" if t["sender"] == "customer" else "agent", text[:2000]))
        if len(turns) >= 2:
            out.append(turns[:limit_turns])
    return out


def percentile(values, p):
    if not values:
        return None
    values = sorted(values)
    return round(values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))], 2)


def rss_mb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


async def run_level(args, ws_base, token, cookie, corpus, n, level):
    sent = {}  # (conversation, seq) -> send time
    seen = {}  # (conversation, seq) -> count
    latencies = []
    ack_latencies = []
    acked = set()
    errors = []
    run_id = f"L{level}-{int(time.time())}"

    async def desk():
        async with websockets.connect(f"{ws_base}/api/v1/live/events", additional_headers={"Cookie": cookie},
                                      max_size=None, open_timeout=30) as ws:
            ready.set()
            async for frame in ws:
                now = time.perf_counter()
                event = json.loads(frame)
                if event.get("type") != "turn" or not event["conversation"].startswith(run_id):
                    continue
                key = (event["conversation"], event["seq"])
                seen[key] = seen.get(key, 0) + 1
                if seen[key] == 1 and key in sent:
                    latencies.append((now - sent[key]) * 1000)

    async def sender(i):
        conversation = f"{run_id}-{i}"
        turns = corpus[i % len(corpus)]
        # spread the starts over one interval so the turns do not arrive in lockstep
        await asyncio.sleep(random.random() * args.turn_interval)
        async with websockets.connect(f"{ws_base}/api/v1/live/ingest", additional_headers={"Authorization": f"Bearer {token}"},
                                      max_size=None, open_timeout=60) as ws:
            async def say(message):
                started = time.perf_counter()
                if message["type"] == "turn":
                    sent[(conversation, message["seq"])] = started
                await ws.send(json.dumps(message, ensure_ascii=False))
                reply = json.loads(await ws.recv())
                ack_latencies.append((time.perf_counter() - started) * 1000)
                if reply["type"] != "ack":
                    errors.append(reply)
                elif message["type"] == "turn":
                    acked.add((conversation, message["seq"]))

            await say({"type": "start", "conversation": conversation, "seq": 1, "channel": "chat", "agent": "agent01"})
            for seq, (speaker, text) in enumerate(turns, start=2):
                await asyncio.sleep(args.turn_interval * random.uniform(0.5, 1.5))
                await say({"type": "turn", "conversation": conversation, "seq": seq, "speaker": speaker, "text": text})
            await say({"type": "end", "conversation": conversation, "seq": len(turns) + 2})

    ready = asyncio.Event()
    desk_task = asyncio.create_task(desk())
    await asyncio.wait_for(ready.wait(), 30)
    started = time.perf_counter()
    peak = None
    done = asyncio.ensure_future(asyncio.gather(*(sender(i) for i in range(n)), return_exceptions=True))
    while not done.done():
        await asyncio.sleep(0.5)
        if args.server_pid:
            now = rss_mb(args.server_pid)
            peak = max(peak or 0, now or 0)
    failures = [r for r in done.result() if isinstance(r, Exception)]
    await asyncio.sleep(2)  # the last events in flight
    desk_task.cancel()
    elapsed = time.perf_counter() - started
    lost = len([k for k in acked if k not in seen])
    duplicated = sum(c - 1 for c in seen.values() if c > 1)
    return {
        "conversations": n,
        "turns": len(acked),
        "turns_per_s": round(len(acked) / elapsed, 1),
        "latency_ms_p50": percentile(latencies, 50),
        "latency_ms_p95": percentile(latencies, 95),
        "latency_ms_p99": percentile(latencies, 99),
        "ack_ms_p95": percentile(ack_latencies, 95),
        "lost": lost,
        "duplicated": duplicated,
        "refused": len(errors),
        "sender_failures": len(failures),
        "server_rss_mb_peak": peak,
        "first_failure": repr(failures[0])[:200] if failures else None,
    }


def main():
    parser = arguments()
    parser.add_argument("--conversations", default="50,100,250,500,1000")
    parser.add_argument("--turn-interval", type=float, default=2.0, help="seconds between a conversation's turns")
    parser.add_argument("--turns", type=int, default=12, help="turns per conversation at most")
    parser.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "../../shared/data/stc3-dch1-helpdesk/train_data_cn.json"))
    parser.add_argument("--server-pid", type=int, default=0)
    args = parser.parse_args()
    host = target(args.url)
    conn = connect(host)
    cookie = login(conn, args.user, args.password)
    wait_for_index(conn, cookie)
    status, data, _ = request(conn, "POST", "/api/v1/tokens", cookie, {"name": "bench-live", "scope": "write", "expires_in_days": 1})
    if status != 201:
        raise SystemExit(f"cannot create a write token: {status} {data[:200]!r}")
    token = json.loads(data)["token"]
    corpus = dialogues(args.data, args.turns)
    ws_base = f"ws://{host[0]}:{host[1]}"
    best = None
    for level, n in enumerate(int(x) for x in args.conversations.split(",")):
        row = asyncio.run(run_level(args, ws_base, token, cookie, corpus, n, level))
        row["turn_interval_s"] = args.turn_interval
        print(json.dumps(row), flush=True)
        if row["latency_ms_p95"] is not None and row["latency_ms_p95"] < 50 and row["lost"] == 0 and row["duplicated"] == 0:
            best = n
    print(json.dumps({"largest_n_with_p95_under_50ms": best, "turn_interval_s": args.turn_interval}), flush=True)


if __name__ == "__main__":
    main()
