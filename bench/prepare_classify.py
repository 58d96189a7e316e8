#!/usr/bin/env python3
"""Makes the stratified 80/20 splits (seed 42) that `cargo xtask bench classify` reports on, as
CSV files with columns text,label: it-tickets-endava (category, sub_category1, urgency; text =
title + " " + body) and online-shopping-10cats (cat). Prints one note per line on what it changed."""

import argparse
import csv
import os
from collections import Counter

from sklearn.model_selection import train_test_split


def split(rows, out_dir, name):
    """rows: [(text, label)]; empty texts are dropped, single-example classes go to train."""
    notes = []
    empty = sum(1 for t, _ in rows if not t.strip())
    rows = [(t, l) for t, l in rows if t.strip()]
    if empty:
        notes.append(f"{name}: dropped {empty} rows with empty text")
    counts = Counter(l for _, l in rows)
    single = [r for r in rows if counts[r[1]] < 2]
    rest = [r for r in rows if counts[r[1]] >= 2]
    if single:
        notes.append(f"{name}: {len(single)} classes with a single example put in train (cannot be stratified): "
                     + ", ".join(sorted(l for _, l in single)))
    train, test = train_test_split(rest, test_size=0.2, random_state=42, stratify=[l for _, l in rest])
    train = list(train) + single
    os.makedirs(os.path.join(out_dir, name), exist_ok=True)
    for part, data in (("train", train), ("test", test)):
        with open(os.path.join(out_dir, name, f"{part}.csv"), "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(["text", "label"])
            w.writerows(data)
    notes.append(f"{name}: {len(train)} train / {len(test)} test, {len(counts)} classes")
    return notes


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    notes = []
    with open(os.path.join(args.data, "it-tickets-endava", "all_tickets.csv"), encoding="utf-8", newline="") as f:
        tickets = list(csv.DictReader(f))
    for column in ("category", "sub_category1", "urgency"):
        rows = [((t["title"] + " " + t["body"]).strip(), t[column]) for t in tickets]
        notes += split(rows, args.out, f"it-tickets-{column}")
    with open(os.path.join(args.data, "online-shopping-10cats", "online_shopping_10_cats.csv"), encoding="utf-8-sig",
              newline="") as f:
        rows = [(r["review"], r["cat"]) for r in csv.DictReader(f)]
    notes += split(rows, args.out, "online-shopping-10cats")
    print("\n".join(notes))


if __name__ == "__main__":
    main()
