"""Peak memory of `seatmate import` as files grow. Writes conversation JSONL and ticket CSV files
of several sizes (synthetic records of realistic length, written by this script), imports each
into a fresh workspace, and reads the import's peak resident memory from the kernel (wait4).
Streamed imports hold a few batches, not the file: peak memory should stay flat as files grow.
Prints one JSON line per file. Standard library only.
"""

import argparse
import json
import os
import shutil
import subprocess
import tempfile
import time

TURNS = [
    ("customer", "你好，我家的宽带从昨天晚上开始就一直断线，路由器的灯一直在闪，重启了好几次也没有用。"),
    ("agent", "您好，很抱歉给您带来不便。请问您的宽带账号是多少？我这边帮您查一下线路状态。"),
    ("customer", "账号是 broadband account number in the contract, I can read it to you if needed."),
    ("agent", "我看到您所在的小区今天有线路维护，预计下午五点前恢复，恢复后会短信通知您。"),
    ("customer", "好的，那如果五点以后还是不行怎么办？我明天要在家办公。"),
    ("agent", "如果五点后仍未恢复，您可以直接回复短信，我们会优先安排师傅上门检修。"),
]


def conversation(i):
    turns = [{"speaker": s, "text": f"{t} #{i}"} for s, t in TURNS]
    return json.dumps({"external_id": f"bench-{i}", "channel": "voice", "queue": "broadband", "turns": turns},
                      ensure_ascii=False)


def write_conversations(path, n):
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            f.write(conversation(i) + "\n")


def write_tickets(path, n):
    with open(path, "w", encoding="utf-8") as f:
        f.write("id,title,body,category\n")
        for i in range(n):
            body = " ".join(t for _, t in TURNS[:3]).replace('"', "'")
            f.write(f'bench-{i},宽带断线 #{i},"{body}",宽带断线\n')


def import_once(args, workdir, what, path, extra):
    data = os.path.join(workdir, "data")
    shutil.rmtree(data, ignore_errors=True)
    command = [args.bin] + (["--database", args.database] if args.database else []) + ["--data-dir", data]
    command += ["import", what, path] + extra
    started = time.monotonic()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    out, err = child.stdout.read().decode(), child.stderr.read().decode()
    if status != 0:
        raise SystemExit(f"{' '.join(command)} failed: {out}{err}")
    return {"what": what, "records": None, "file_mb": round(os.path.getsize(path) / 1e6, 1),
            "peak_rss_mb": round(usage.ru_maxrss / 1024, 1), "seconds": round(time.monotonic() - started, 1),
            "summary": out.strip().splitlines()[-1] if out.strip() else ""}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--database", default="")
    parser.add_argument("--sizes", default="10000,40000,160000")
    args = parser.parse_args()
    os.makedirs(args.data_dir, exist_ok=True)
    workdir = tempfile.mkdtemp(prefix="files-", dir=args.data_dir)
    try:
        for n in [int(s) for s in args.sizes.split(",")]:
            for what, write, name, extra in [
                ("conversations", write_conversations, "c.jsonl", []),
                ("tickets", write_tickets, "t.csv", ["--id", "id", "--text", "title,body", "--label", "category",
                                                     "--create-taxonomy"]),
            ]:
                path = os.path.join(workdir, name)
                write(path, n)
                row = import_once(args, workdir, what, path, extra)
                row["records"] = n
                print(json.dumps(row, ensure_ascii=False), flush=True)
                os.remove(path)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
