"""Live load: N concurrent conversations streamed in over loopback WebSockets, each its own
sender, replaying real dialogues: STC-3 DCH-1 helpdesk (customer service, Chinese) and CrossWOZ
(val and test: travel questions, Chinese; usr → customer, sys → agent), the two sources taking
turns conversation by conversation. One desk (an admin, who sees every conversation) follows the
events WebSocket. Measures, per level of N:
- turn-in → event-out latency (from sending a turn to its event, with signals and cards, reaching
  the desk), p50/p95/p99, the sender's acknowledgement latency, and the emotion model's reading
  (customer turn sent → its `emotion` event, p95; null when the server runs no emotion model);
- events lost (a turn acknowledged but never seen on the desk) and duplicated (seen twice);
- after the run, the store: every acknowledged turn is stored once, in order, and each
  conversation's `last_seq` is the last number acknowledged;
- the server's resident memory (when --server-pid is given).
Then reports the largest N whose p95 stays under 50 ms with nothing lost or duplicated.

Pace: a conversation's turns come --turn-interval seconds apart on average (uniform 0.5–1.5×).
2 s is about real pace (the time a person takes per turn); a smaller interval is faster than real
pace, and the summary says how much faster.

With --kill-after S (and --server-argv, the server's command line as a JSON list) the server is
killed with SIGKILL S seconds into each level and started again with the same command line; this
script then owns the new process and stops it at the end. Every sender reconnects with retries,
asks `GET /api/v1/live/conversations/{conversation}` for `last_seq` and resumes from the number
after it (resending what was not applied; a duplicate is acknowledged as such and is harmless);
the desk reconnects too. Events the desk missed while the server was down are reported as
`events_missed_while_down`, not as lost: `lost` counts the turns acknowledged after the restart.

Prints one JSON line per level and one summary line with --json, else a table. Needs `websockets`
(bench/requirements.txt).
"""

import asyncio
import http.client
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import zipfile

import websockets

from loadlib import arguments, connect, get_json, login, request, target, wait_for_index, wait_port

# seconds a person takes per turn, about: the real pace
REAL_PACE_S = 2.0
# a sender that makes no progress for this long gives up (the run stays bounded)
GIVE_UP_S = 180


def stc3_dialogues(path, limit_turns):
    """STC-3 DCH-1 dialogues: lists of (speaker, text)."""
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


def crosswoz_dialogues(folder, limit_turns):
    """CrossWOZ dialogues of the val and test splits (zip files of one JSON object, dialogue id →
    dialogue); the train split is left alone. usr is the customer, sys the agent."""
    out = []
    for split in ("val", "test"):
        path = os.path.join(folder, f"{split}.json.zip")
        if not os.path.exists(path):
            continue
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                if not name.endswith(".json"):
                    continue
                for d in json.loads(z.read(name)).values():
                    turns = [("customer" if m["role"] == "usr" else "agent", m["content"].strip()[:2000])
                             for m in d["messages"] if m["content"].strip()]
                    if len(turns) >= 2:
                        out.append(turns[:limit_turns])
    return out


def interleave(first, second):
    """first[0], second[0], first[1], second[1], …, then what is left of the longer list."""
    out = []
    for a, b in zip(first, second):
        out += [a, b]
    shorter = min(len(first), len(second))
    return out + first[shorter:] + second[shorter:]


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


def gone(pid):
    """True when the process has exited (no longer there, or a zombie not yet reaped)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except OSError:
        return True


def port_open(host):
    try:
        socket.create_connection(host, timeout=1).close()
        return True
    except OSError:
        return False


def pace(interval):
    return "real" if interval >= REAL_PACE_S else f"{REAL_PACE_S / interval:.1f}x real"


class Server:
    """The server under load: its pid and, for --kill-after, the command line that starts it.
    After a restart this script owns the process and stops it at the end (`stop`)."""

    def __init__(self, pid, argv):
        self.pid = pid
        self.argv = argv
        self.process = None

    def kill_and_restart(self, host):
        """SIGKILL, then the same command line again; returns once the port answers."""
        os.kill(self.pid, signal.SIGKILL)
        if self.process is not None:
            self.process.wait()
        # the old listener must be closed before the new one binds (and before the port is
        # watched): a killed process is a zombie as soon as its main thread is gone, while its
        # other threads may still hold its sockets for a moment
        while not gone(self.pid) or port_open(host):
            time.sleep(0.005)
        # no output into our pipes: xtask reads this script's standard output until it closes
        self.process = subprocess.Popen(self.argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        self.pid = self.process.pid
        if not wait_port(host, 600) or self.process.poll() is not None:
            raise SystemExit(f"the server did not come back after the kill: {self.argv}")

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def relogin(args, host):
    """A new session cookie (after a restart), retried while the server starts."""
    deadline = time.monotonic() + 60
    while True:
        try:
            return login(connect(host), args.user, args.password)
        except (OSError, http.client.HTTPException, SystemExit):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def live_path(conversation):
    return f"/api/v1/live/conversations/{urllib.parse.quote(conversation, safe='')}"


# a placeholder the redaction policy puts in stored text: [PHONE-3377], [EMAIL], …
PLACEHOLDER = re.compile(r"\[[A-Z_]+(?:-[^\]]*)?\]")


def same_text(sent, stored):
    """The stored turn is the sent one, personal data masked or not (the demo's redaction policy
    masks it before it is stored): each placeholder stands for some text."""
    if sent == stored:
        return True
    pattern = ".+?".join(re.escape(part) for part in PLACEHOLDER.split(stored))
    return pattern != re.escape(stored) and re.fullmatch(pattern, sent, re.DOTALL) is not None


def verify(host, token, cookie, confirmed, last_confirmed):
    """The store after a level: each conversation's stored turns against the turns the server
    confirmed (in order, by text), and its `last_seq` against the last number confirmed."""
    missing = duplicated = unexpected = seq_mismatch = 0
    for conversation, turns in confirmed.items():
        expected = [turns[seq] for seq in sorted(turns)]
        status, state = get_json(host, live_path(conversation), token=token)
        if status != 200:
            missing += len(expected)
            seq_mismatch += last_confirmed[conversation] > 0
            continue
        seq_mismatch += state["last_seq"] != last_confirmed[conversation]
        status, stored = get_json(host, f"/api/v1/conversations/{state['id']}", cookie=cookie)
        if status != 200:
            raise SystemExit(f"cannot read conversation {state['id']}: {status}")
        # walk the stored turns in order: the next expected text, a repeat of the last one matched
        # (stored twice), or something that was never sent
        j = 0
        for turn in stored["turns"]:
            if j < len(expected) and same_text(expected[j], turn["text"]):
                j += 1
            elif j > 0 and same_text(expected[j - 1], turn["text"]):
                duplicated += 1
            else:
                unexpected += 1
        missing += len(expected) - j
    return {"missing": missing, "duplicated": duplicated, "unexpected": unexpected, "seq_mismatch": seq_mismatch}


async def run_level(args, host, ws_base, auth, corpus, n, level, server):
    run_id = f"L{level}-{int(time.time())}"
    sent = {}  # (conversation, seq) -> time of its latest send
    seen = {}  # (conversation, seq) -> turn events the desk saw
    emotions = {}  # (conversation, seq) -> emotion events the desk saw
    latencies, emotion_latencies, ack_latencies = [], [], []
    acked = {}  # (conversation, seq) of a turn -> "before" / "after" the restart, or "duplicate"
    confirmed = {}  # conversation -> {seq: text} of the turns the server has
    last_confirmed = {}  # conversation -> the last number the server has
    errors, resumed = [], set()
    counts = {"rolled_back": 0, "applied_unacked": 0, "resyncs": 0}
    state = {"restarted": False, "restart_s": None, "killing": False}
    up = asyncio.Event()  # cleared while the server is being killed and restarted
    up.set()
    desk_ready = asyncio.Event()  # the desk follows the events (of the server now up)
    stop = asyncio.Event()

    async def desk():
        while not stop.is_set():
            try:
                async with websockets.connect(f"{ws_base}/api/v1/live/events", additional_headers={"Cookie": auth["cookie"]},
                                              max_size=None, open_timeout=30) as ws:
                    await up.wait()
                    desk_ready.set()
                    async for frame in ws:
                        now = time.perf_counter()
                        event = json.loads(frame)
                        if event.get("type") == "resync":
                            counts["resyncs"] += 1
                            continue
                        if not str(event.get("conversation", "")).startswith(run_id + "-"):
                            continue
                        key = (event["conversation"], event["seq"])
                        if event["type"] == "turn":
                            seen[key] = seen.get(key, 0) + 1
                            if seen[key] == 1 and key in sent:
                                latencies.append((now - sent[key]) * 1000)
                        elif event["type"] == "emotion":
                            emotions[key] = emotions.get(key, 0) + 1
                            if emotions[key] == 1 and key in sent:
                                emotion_latencies.append((now - sent[key]) * 1000)
            except (OSError, websockets.exceptions.WebSocketException, asyncio.TimeoutError):
                pass  # the server went away: connect again
            await asyncio.sleep(0.1)

    async def sender(i):
        conversation = f"{run_id}-{i}"
        turns = corpus[i % len(corpus)]
        messages = [{"type": "start", "conversation": conversation, "seq": 1, "channel": "chat", "agent": "agent01"}]
        for seq, (speaker, text) in enumerate(turns, start=2):
            messages.append({"type": "turn", "conversation": conversation, "seq": seq, "speaker": speaker, "text": text})
        messages.append({"type": "end", "conversation": conversation, "seq": len(turns) + 2})
        texts = {m["seq"]: m["text"] for m in messages if m["type"] == "turn"}
        confirmed[conversation] = {}
        last_confirmed[conversation] = 0

        def confirm(seq, how):
            """The server has message `seq` (`how`: acknowledged before/after the restart, or
            as a duplicate)."""
            if seq in texts:
                confirmed[conversation][seq] = texts[seq]
                acked.setdefault((conversation, seq), how)
            last_confirmed[conversation] = max(last_confirmed[conversation], seq)

        async def resume():
            """The index of the next message to send, from the server's `last_seq`."""
            status, found = await asyncio.to_thread(get_json, host, live_path(conversation), None, auth["token"])
            if status == 404:
                last = 0  # not even the start was applied
            elif status == 200:
                last = found["last_seq"]
            else:
                raise OSError(f"live state of {conversation}: {status}")
            # numbers acknowledged that the server no longer has: acknowledged turns lost
            counts["rolled_back"] += len([s for s in confirmed[conversation] if s > last])
            # numbers applied whose acknowledgement was lost with the connection
            for seq in range(last_confirmed[conversation] + 1, last + 1):
                counts["applied_unacked"] += 1
                confirm(seq, "before")
            return last

        # spread the starts over one interval so the turns do not arrive in lockstep
        await asyncio.sleep(random.random() * args.turn_interval)
        index = 0  # messages[index] is the next to send; its seq is index + 1
        paced = 0  # messages before this index have waited their turn interval
        dropped = sent_any = False
        progress = time.monotonic()
        while index < len(messages):
            if time.monotonic() - progress > GIVE_UP_S:
                raise RuntimeError(f"{conversation}: no progress for {GIVE_UP_S} s at seq {index + 1}")
            if dropped:
                # after a drop, go on once the desk follows the (restarted) server again
                try:
                    await asyncio.wait_for(desk_ready.wait(), 60)
                except asyncio.TimeoutError:
                    pass
            try:
                async with websockets.connect(f"{ws_base}/api/v1/live/ingest", additional_headers={"Authorization": f"Bearer {auth['token']}"},
                                              max_size=None, open_timeout=60) as ws:
                    if dropped:
                        index = await resume()
                        if sent_any:
                            resumed.add(conversation)
                    while index < len(messages):
                        message = messages[index]
                        if message["type"] == "turn" and paced <= index:
                            await asyncio.sleep(args.turn_interval * random.uniform(0.5, 1.5))
                            paced = index + 1
                        started = time.perf_counter()
                        sent[(conversation, message["seq"])] = started
                        sent_any = True
                        await ws.send(json.dumps(message, ensure_ascii=False))
                        reply = json.loads(await ws.recv())
                        ack_latencies.append((time.perf_counter() - started) * 1000)
                        progress = time.monotonic()
                        if reply["type"] == "ack":
                            how = "duplicate" if reply.get("duplicate") else "after" if state["restarted"] else "before"
                            confirm(message["seq"], how)
                            index += 1
                        elif reply.get("code") == "unavailable":
                            await asyncio.sleep(0.1)  # the store did not answer: send it again
                        else:
                            errors.append(reply)
                            if reply.get("code") == "out_of_order" and reply.get("expected"):
                                index = reply["expected"] - 1
                            else:
                                index += 1
            except (OSError, http.client.HTTPException, websockets.exceptions.WebSocketException, asyncio.TimeoutError):
                dropped = True
                await asyncio.sleep(random.uniform(0.1, 0.5))

    async def killer():
        await asyncio.sleep(args.kill_after)
        state["killing"] = True
        up.clear()
        desk_ready.clear()
        began = time.perf_counter()
        await asyncio.to_thread(server.kill_and_restart, host)
        state["restart_s"] = round(time.perf_counter() - began, 2)
        auth["cookie"] = await asyncio.to_thread(relogin, args, host)
        state["restarted"] = True
        up.set()

    desk_task = asyncio.create_task(desk())
    await asyncio.wait_for(desk_ready.wait(), 30)
    started = time.perf_counter()
    killer_task = asyncio.create_task(killer()) if args.kill_after else None
    peak = None
    done = asyncio.ensure_future(asyncio.gather(*(sender(i) for i in range(n)), return_exceptions=True))
    while not done.done():
        await asyncio.sleep(0.5)
        if server.pid:
            now = rss_mb(server.pid)
            peak = max(peak or 0, now or 0)
    failures = [r for r in done.result() if isinstance(r, Exception)]
    if killer_task is not None:
        if state["killing"]:
            await killer_task  # the senders gave up while the server was restarting
        else:
            killer_task.cancel()  # the level ended before the kill
    await asyncio.sleep(2)  # the last events in flight
    stop.set()
    desk_task.cancel()
    elapsed = time.perf_counter() - started
    stored = await asyncio.to_thread(verify, host, auth["token"], auth["cookie"], confirmed, last_confirmed)

    # lost: acknowledged, never seen on the desk (after a kill: only turns acknowledged after the
    # restart; the others the desk may have missed while the server was down)
    unseen = [k for k in acked if k not in seen]
    lost = len([k for k in unseen if acked[k] == "after" or not state["restarted"]])
    row = {
        "conversations": n,
        "turns": len(acked),
        "turns_per_s": round(len(acked) / elapsed, 1),
        "latency_ms_p50": percentile(latencies, 50),
        "latency_ms_p95": percentile(latencies, 95),
        "latency_ms_p99": percentile(latencies, 99),
        "ack_ms_p95": percentile(ack_latencies, 95),
        "emotion_ms_p95": percentile(emotion_latencies, 95),
        "emotion_events": len(emotions),
        "lost": lost,
        "duplicated": sum(c - 1 for c in seen.values() if c > 1),
        "acknowledged_missing": stored["missing"] + counts["rolled_back"],
        "stored_duplicated": stored["duplicated"],
        "stored_unexpected": stored["unexpected"],
        "last_seq_mismatch": stored["seq_mismatch"],
        "refused": len(errors),
        "sender_failures": len(failures),
        "resyncs": counts["resyncs"],
        "server_rss_mb_peak": peak,
        "first_failure": repr(failures[0])[:200] if failures else None,
        "first_refusal": json.dumps(errors[0], ensure_ascii=False)[:200] if errors else None,
    }
    if args.kill_after:
        row.update({
            "killed": state["restart_s"] is not None,
            "restart_s": state["restart_s"],
            "resumed_senders": len(resumed),
            "events_missed_while_down": len(unseen) - lost,
            "applied_unacked": counts["applied_unacked"],
        })
    return row


# the table without --json: (column, row key, width)
COLUMNS = [("N", "conversations", 6), ("turns", "turns", 7), ("turns/s", "turns_per_s", 8),
           ("p50 ms", "latency_ms_p50", 8), ("p95 ms", "latency_ms_p95", 8), ("p99 ms", "latency_ms_p99", 8),
           ("ack p95", "ack_ms_p95", 8), ("emo p95", "emotion_ms_p95", 8), ("lost", "lost", 5),
           ("dup", "duplicated", 4), ("missing", "acknowledged_missing", 8), ("stored2x", "stored_duplicated", 9),
           ("RSS MB", "server_rss_mb_peak", 7)]
KILL_COLUMNS = [("restart s", "restart_s", 10), ("resumed", "resumed_senders", 8), ("missed down", "events_missed_while_down", 12)]


def table_line(columns, values):
    """One row: the first column to the left (xtask trims the output's leading blanks), the others
    to the right."""
    cells = [str("–" if v is None else v) for v in values]
    return " ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, (_, _, w)) in enumerate(zip(cells, columns)))


def main():
    parser = arguments()
    parser.add_argument("--conversations", default="50,100,250,500,1000")
    parser.add_argument("--turn-interval", type=float, default=REAL_PACE_S,
                        help=f"mean seconds between a conversation's turns; {REAL_PACE_S:g} is about real pace, less is faster")
    parser.add_argument("--turns", type=int, default=12, help="turns per conversation at most")
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--data", default=os.path.join(here, "../../shared/data/stc3-dch1-helpdesk/train_data_cn.json"),
                        help="STC-3 DCH-1 dialogues (JSON)")
    parser.add_argument("--crosswoz", default=os.path.join(here, "../../shared/data/crosswoz"),
                        help="CrossWOZ folder (val.json.zip, test.json.zip)")
    parser.add_argument("--server-pid", type=int, default=0)
    parser.add_argument("--server-argv", default="", help="the server's command line as a JSON list (for --kill-after)")
    parser.add_argument("--kill-after", type=float, default=0, help="SIGKILL the server this many seconds into each level, then restart it")
    parser.add_argument("--json", action="store_true", help="JSON lines (default: a table)")
    args = parser.parse_args()
    if args.kill_after and not (args.server_pid and args.server_argv):
        raise SystemExit("--kill-after needs --server-pid and --server-argv")
    server = Server(args.server_pid, json.loads(args.server_argv) if args.server_argv else None)
    try:
        run(args, server)
    finally:
        server.stop()  # a server this script restarted is its own to stop


def run(args, server):
    host = target(args.url)
    conn = connect(host)
    cookie = login(conn, args.user, args.password)
    wait_for_index(conn, cookie)
    status, data, _ = request(conn, "POST", "/api/v1/tokens", cookie, {"name": "bench-live", "scope": "write", "expires_in_days": 1})
    if status != 201:
        raise SystemExit(f"cannot create a write token: {status} {data[:200]!r}")
    auth = {"token": json.loads(data)["token"], "cookie": cookie}
    stc3 = stc3_dialogues(args.data, args.turns)
    if os.path.isdir(args.crosswoz):
        crosswoz = crosswoz_dialogues(args.crosswoz, args.turns)
    else:
        print(f"no CrossWOZ at {args.crosswoz}: STC-3 dialogues only", file=sys.stderr)
        crosswoz = []
    corpus = interleave(stc3, crosswoz)
    print(f"corpus: {len(stc3)} STC-3 and {len(crosswoz)} CrossWOZ dialogues, alternating", file=sys.stderr)
    ws_base = f"ws://{host[0]}:{host[1]}"
    columns = COLUMNS + (KILL_COLUMNS if args.kill_after else [])
    if not args.json:
        print(table_line(columns, [name for name, _, _ in columns]), flush=True)
    best = None
    for level, n in enumerate(int(x) for x in args.conversations.split(",")):
        row = asyncio.run(run_level(args, host, ws_base, auth, corpus, n, level, server))
        row["turn_interval_s"] = args.turn_interval
        row["pace"] = pace(args.turn_interval)
        if args.json:
            print(json.dumps(row), flush=True)
        else:
            print(table_line(columns, [row.get(key) for _, key, _ in columns]), flush=True)
            for key in ("first_failure", "first_refusal"):
                if row[key]:
                    print(f"  {key}: {row[key]}", flush=True)
        clean = all(row[k] == 0 for k in ("lost", "duplicated", "acknowledged_missing", "stored_duplicated", "sender_failures"))
        if row["latency_ms_p95"] is not None and row["latency_ms_p95"] < 50 and clean:
            best = n
    summary = {"largest_n_with_p95_under_50ms": best, "turn_interval_s": args.turn_interval, "pace": pace(args.turn_interval),
               "real_pace_turn_interval_s": REAL_PACE_S}
    if args.json:
        print(json.dumps(summary), flush=True)
    else:
        print(f"largest N with p95 < 50 ms: {best} (turn interval {args.turn_interval:g} s: {summary['pace']} pace; "
              f"real pace is about {REAL_PACE_S:g} s per turn)", flush=True)


if __name__ == "__main__":
    main()
