"""What the load scripts share: their common options, loopback-only HTTP calls with a session
cookie, timed calls that survive a dropped connection, percentiles."""

import argparse
import http.client
import json
import time
import urllib.parse


def target(url):
    """The (host, port) of a loopback URL; load is never sent anywhere else."""
    parsed = urllib.parse.urlparse(url)
    if parsed.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("load tests run against loopback only")
    return parsed.hostname, parsed.port


def connect(host_port, timeout=60):
    return http.client.HTTPConnection(host_port[0], host_port[1], timeout=timeout)


def request(conn, method, path, cookie=None, body=None):
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if cookie:
        headers["Cookie"] = cookie
    conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    response = conn.getresponse()
    data = response.read()
    return response.status, data, response.getheader("Set-Cookie")


def login(conn, user, password):
    status, data, cookie = request(conn, "POST", "/api/v1/auth/login", body={"username": user, "password": password})
    if status != 200:
        raise SystemExit(f"login failed: {status} {data[:200]!r}")
    return cookie.split(";")[0]


def arguments():
    """The options every load script takes: the server and whom to log in as."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:8080")
    parser.add_argument("--user", default="admin")
    parser.add_argument("--password", default="seatmate-demo")
    return parser


def open_session(args):
    """(host, connection, session cookie), once the server's knowledge index is built."""
    host = target(args.url)
    conn = connect(host)
    cookie = login(conn, args.user, args.password)
    wait_for_index(conn, cookie)
    return host, conn, cookie


def timed(conn, host, call):
    """Runs `call(conn)`: (its status, or "connection error"; milliseconds; the connection to use
    next, a new one after an error)."""
    start = time.perf_counter()
    try:
        code = call(conn)
    except (OSError, http.client.HTTPException):
        code = "connection error"
        conn = connect(host)
    return code, (time.perf_counter() - start) * 1000, conn


def wait_for_index(conn, cookie, seconds=900):
    """Waits until the knowledge index is built (the server builds it in the background at start),
    so a measurement is not of the start-up. Returns what the index holds."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        _, data, _ = request(conn, "GET", "/api/v1/knowledge/index", cookie)
        info = json.loads(data)
        if info["rebuild"]["state"] != "running":
            return info
        time.sleep(0.1)
    raise SystemExit("the knowledge index was not built in time")


def percentile(sorted_values, q):
    if not sorted_values:
        return None
    index = min(len(sorted_values) - 1, max(0, round(q / 100 * len(sorted_values) + 0.5) - 1))
    return sorted_values[index]


def summary(latencies):
    """p50/p99/max of latencies in ms (sorted here)."""
    latencies.sort()
    if not latencies:
        return {"p50_ms": None, "p99_ms": None, "max_ms": None}
    return {
        "p50_ms": round(percentile(latencies, 50), 2),
        "p99_ms": round(percentile(latencies, 99), 2),
        "max_ms": round(latencies[-1], 2),
    }


def get_json(host, path, cookie=None, token=None, timeout=30):
    """GET `path` on a new connection, with the session cookie or an API token: (status, the
    decoded JSON or None)."""
    headers = {}
    if cookie:
        headers["Cookie"] = cookie
    if token:
        headers["Authorization"] = f"Bearer {token}"
    conn = connect(host, timeout=timeout)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        data = response.read()
    finally:
        conn.close()
    try:
        return response.status, json.loads(data)
    except ValueError:
        return response.status, None


def wait_port(host, seconds=600):
    """Waits until something listens on the (host, port); True when it does within `seconds`."""
    import socket

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(host, timeout=1).close()
            return True
        except OSError:
            time.sleep(0.02)
    return False
