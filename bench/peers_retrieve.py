#!/usr/bin/env python3
"""Peer for `seatmate eval retrieve --stackfaq FILE --json`: rank_bm25's BM25Okapi over the same
StackFAQ documents, queries and metrics, printing the same JSON keys.

Protocol (as in crates/seatmate-cli/src/retrieve_eval.rs, Karan & Snajder 2018): every (question,
answer) pair of a thread is one document (question and answer text concatenated); every human
rephrasing is a query whose relevant documents are the pairs of its own thread; placeholder
rephrasings (`*`, empty, null) are skipped. Tokens: lower case, `[a-z0-9]+`, Porter-stemmed
(nltk). MAP is over the top k with trec_eval's denominator (all relevant documents); NDCG@3 uses
the ideal ranking of all relevant documents, binary gains.
"""

import argparse
import json
import math
import re
import time

from nltk.stem import PorterStemmer
from rank_bm25 import BM25Okapi

STEM = PorterStemmer()
TOKEN = re.compile(r"[a-z0-9]+")


def tokens(text):
    return [STEM.stem(t) for t in TOKEN.findall(text.lower())]


def strings(value):
    if isinstance(value, list):
        return value
    return [] if value is None else [value]


def load(path):
    with open(path, encoding="utf-8") as f:
        threads = json.load(f)["root"]["qapair"]
    docs, doc_thread, queries, placeholders = [], [], [], 0
    for t, thread in enumerate(threads):
        question = thread.get("question") or ""
        for answer in strings(thread.get("answer")):
            if answer is None:
                continue
            docs.append(question + "\n" + answer)
            doc_thread.append(t)
        for r in strings(thread.get("rephr")):
            if r is None or not r.strip() or r.strip() == "*":
                placeholders += 1
            else:
                queries.append((r, t))
    return docs, doc_thread, queries, placeholders


def metrics(relevant, total):
    disc = lambda i: 1.0 / math.log2(i + 2)
    dcg = sum(disc(i) for i, r in enumerate(relevant[:3]) if r)
    idcg = sum(disc(i) for i in range(min(total, 3)))
    found, ap = 0, 0.0
    for i, r in enumerate(relevant):
        if r:
            found += 1
            ap += found / (i + 1)
    rr = next((1.0 / (i + 1) for i, r in enumerate(relevant[:10]) if r), 0.0)
    return dcg / idcg, ap / total, rr, sum(relevant[:5]) / total


def percentile(sorted_values, p):
    rank = math.ceil(p * len(sorted_values))
    return sorted_values[min(max(rank, 1), len(sorted_values)) - 1]


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--stackfaq", required=True)
    ap.add_argument("--k", type=int, default=10)
    args = ap.parse_args()
    docs, doc_thread, queries, placeholders = load(args.stackfaq)
    started = time.perf_counter()
    bm25 = BM25Okapi([tokens(d) for d in docs])
    index_ms = (time.perf_counter() - started) * 1000
    per_thread = {}
    for t in doc_thread:
        per_thread[t] = per_thread.get(t, 0) + 1
    sums = [0.0, 0.0, 0.0, 0.0]
    latencies = []
    for query, thread in queries:
        started = time.perf_counter()
        scores = bm25.get_scores(tokens(query))
        top = sorted(range(len(docs)), key=lambda i: -scores[i])[: args.k]
        latencies.append((time.perf_counter() - started) * 1000)
        m = metrics([doc_thread[i] == thread for i in top], per_thread[thread])
        sums = [s + v for s, v in zip(sums, m)]
    latencies.sort()
    n = len(queries)
    print(json.dumps({
        "engine": "rank_bm25 BM25Okapi + nltk Porter",
        "dataset": "stackfaq",
        "queries": n,
        "placeholder_rephrasings_skipped": placeholders,
        "documents": len(docs),
        "k": args.k,
        "ndcg@3": sums[0] / n,
        "map": sums[1] / n,
        "mrr@10": sums[2] / n,
        "recall@5": sums[3] / n,
        "p50_ms": percentile(latencies, 0.50),
        "p99_ms": percentile(latencies, 0.99),
        "index_ms": index_ms,
    }))


if __name__ == "__main__":
    main()
