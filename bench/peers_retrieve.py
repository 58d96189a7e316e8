#!/usr/bin/env python3
"""Peer for `seatmate eval retrieve`: rank_bm25's BM25Okapi on the same StackFAQ documents,
queries, folds and metrics, and on AFQMC question pairs, printing the same JSON keys as
`seatmate eval retrieve --json` where they apply (one JSON line on stdout; progress on stderr).

StackFAQ protocol (as in crates/seatmate-cli/src/retrieve_eval.rs, Karan & Snajder 2018): every
(question, answer) pair of a thread is one document (question and answer text concatenated); every
human rephrasing is a query whose relevant documents are the pairs of its own thread; placeholder
rephrasings (`*`, empty, null) carry no text: they are not run, and count as misses in the
`*_all_1375` figures. Tokens: lower case, `[a-z0-9]+`, Porter-stemmed (nltk). MAP is over the top
k with trec_eval's denominator (all relevant documents); NDCG@3 uses the ideal ranking of all
relevant documents, binary gains.

- questions_only: the documents as published.
- with_other_folds_phrasings: the queries are dealt into folds (the same seeded shuffle as
  Seatmate's, so the same folds); each fold's queries are searched against documents whose text
  also holds the other folds' rephrasings of the same thread.
- padded (--latency-entries N): the documents plus copies of them up to N entries; get_scores and
  the top k timed for every query. The copies' token lists are the originals' (tokenised once).

Pairs as FAQs (--pairs-faq DIR, repeatable; retrieve_eval.rs / pairs_faq.rs): the sentences of
DIR/dev.txt (compared ignoring case and spacing) joined by positive pairs form clusters; the
best-linked sentence of each (first in the file on a tie) is an FAQ question, the others are
queries whose one relevant document it is. BM25Okapi over the questions' jieba words; no weights
to fit, so no folds.

Similar solved cases (--cases-train FILE --cases-test FILE, CSV text,category; as `seatmate eval
cases`): every training ticket is a case; each test ticket's top 5 by BM25Okapi, precision@5 of
cases with its category.

AFQMC (--afqmc DIR): BM25Okapi over every distinct train and dev sentence (jieba words); a pair
scores BM25(s2 as the query, s1 as the document) / BM25(s1, s1), so scores are comparable across
pairs; the threshold is the one most accurate on a seeded sample of train (the same sample as
Seatmate's), and accuracy is reported on dev.
"""

import argparse
import json
import math
import os
import re
import sys
import time

import numpy as np
from nltk.stem import PorterStemmer
from rank_bm25 import BM25Okapi

STEM = PorterStemmer()
TOKEN = re.compile(r"[a-z0-9]+")
MASK = (1 << 64) - 1


HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_jieba = None


def tokens(text):
    """English: Porter stems of [a-z0-9]+. Text with Han characters (any data set): jieba's words,
    English words among them stemmed, punctuation dropped."""
    global _jieba
    if not HAN.search(text):
        return [STEM.stem(t) for t in TOKEN.findall(text.lower())]
    if _jieba is None:
        import jieba

        jieba.setLogLevel(60)
        _jieba = jieba
    words = (w.strip().lower() for w in _jieba.lcut(text))
    return [STEM.stem(w) if w.isascii() else w for w in words if any(c.isalnum() for c in w)]


class Rng:
    """seatmate_classify::Rng (SplitMix64), so folds and samples match Seatmate's."""

    def __init__(self, seed):
        self.state = seed & MASK

    def next_u64(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def shuffle(self, items):
        for i in range(len(items) - 1, 0, -1):
            j = self.next_u64() % (i + 1)
            items[i], items[j] = items[j], items[i]


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
            docs.append((question, answer))
            doc_thread.append(t)
        for r in strings(thread.get("rephr")):
            if not isinstance(r, str) or not r.strip() or r.strip() == "*":
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
    if not sorted_values:
        return 0.0
    rank = math.ceil(p * len(sorted_values))
    return sorted_values[min(max(rank, 1), len(sorted_values)) - 1]


def top_k(scores, k):
    """Best k document indices, best first; ties go to the earlier document (among large score
    arrays, ties at the k-th place are cut arbitrarily: only the padded latency run has those)."""
    if len(scores) > 10_000 and len(scores) > 4 * k:
        part = np.argpartition(-scores, k)[:k]
        return part[np.lexsort((part, -scores[part]))]
    return np.argsort(-scores, kind="stable")[:k]


def folds(n, count):
    """Fold of each query: a seeded shuffle dealt round-robin (retrieve_eval.rs `folds`)."""
    order = list(range(n))
    Rng(42).shuffle(order)
    fold = [0] * n
    for rank, query in enumerate(order):
        fold[query] = rank % count
    return fold


class Totals:
    def __init__(self):
        self.sums = [0.0, 0.0, 0.0, 0.0]

    def add(self, m):
        self.sums = [s + v for s, v in zip(self.sums, m)]

    def json(self, over):
        n = max(over, 1)
        return dict(zip(["ndcg@3", "map", "mrr@10", "recall@5"], (s / n for s in self.sums)))


def stackfaq(args):
    docs, doc_thread, queries, placeholders = load(args.stackfaq)
    per_thread = {}
    for t in doc_thread:
        per_thread[t] = per_thread.get(t, 0) + 1
    n, all_queries = len(queries), len(queries) + placeholders
    query_tokens = [tokens(q) for q, _ in queries]

    def judge(bm25, i, totals):
        scores = bm25.get_scores(query_tokens[i])
        thread = queries[i][1]
        totals.add(metrics([doc_thread[d] == thread for d in top_k(scores, args.k)], per_thread[thread]))

    # The documents as published; query latency includes tokenising the query.
    started = time.perf_counter()
    bm25 = BM25Okapi([tokens(q + "\n" + a) for q, a in docs])
    index_ms = (time.perf_counter() - started) * 1000
    questions_only, latencies = Totals(), []
    for i, (query, thread) in enumerate(queries):
        started = time.perf_counter()
        scores = bm25.get_scores(tokens(query))
        top = top_k(scores, args.k)
        latencies.append((time.perf_counter() - started) * 1000)
        questions_only.add(metrics([doc_thread[d] == thread for d in top], per_thread[thread]))
    latencies.sort()

    # Each fold's queries against documents that also hold the other folds' rephrasings.
    fold = folds(n, args.folds)
    with_phrasings = Totals()
    for k in range(args.folds):
        lent = {}
        for i, (query, thread) in enumerate(queries):
            if fold[i] != k:
                lent.setdefault(thread, []).append(query)
        texts = ["\n".join([q, *lent.get(t, []), a]) for (q, a), t in zip(docs, doc_thread)]
        index = BM25Okapi([tokens(t) for t in texts])
        for i in range(n):
            if fold[i] == k:
                judge(index, i, with_phrasings)

    report = {
        "queries": n,
        "placeholder_rephrasings": placeholders,
        "documents": len(docs),
        "k": args.k,
        "folds": args.folds,
        "questions_only": questions_only.json(n),
        "questions_only_all_1375": questions_only.json(all_queries),
        "with_other_folds_phrasings": with_phrasings.json(n),
        "with_other_folds_phrasings_all_1375": with_phrasings.json(all_queries),
        "p50_ms": percentile(latencies, 0.50),
        "p99_ms": percentile(latencies, 0.99),
        "index_ms": index_ms,
        "padded": padded(args, docs, query_tokens) if args.latency_entries > 0 else None,
    }
    return report


def padded(args, docs, query_tokens):
    """Documents padded with copies to --latency-entries; get_scores + top k timed per query."""
    print(f"padding to {args.latency_entries} entries", file=sys.stderr)
    started = time.perf_counter()
    originals = [tokens(q + "\n" + a) for q, a in docs]
    corpus = [originals[i % len(originals)] for i in range(max(args.latency_entries, len(docs)))]
    bm25 = BM25Okapi(corpus)
    index_s = time.perf_counter() - started
    latencies = []
    for query in query_tokens:
        started = time.perf_counter()
        top_k(bm25.get_scores(query), args.k)
        latencies.append((time.perf_counter() - started) * 1000)
    latencies.sort()
    return {
        "entries": len(corpus),
        "queries": len(latencies),
        "p50_ms": percentile(latencies, 0.50),
        "p99_ms": percentile(latencies, 0.99),
        "index_s": index_s,
    }


def load_pairs(path):
    pairs = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            fields = line.rstrip("\r\n").split("\t")
            if len(fields) != 3 or fields[2].strip() not in ("0", "1"):
                sys.exit(f"{path}:{number}: expected question, question, label 0/1 separated by tabs")
            pairs.append((fields[0], fields[1], fields[2].strip() == "1"))
    return pairs


def pairs_faq(directory, k):
    """One FAQ per paraphrase cluster of DIR/dev.txt (as pairs_faq.rs builds it) and its figures."""
    ids, sentences, parent, links, positive = {}, [], [], [], 0

    def root(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    comparable = lambda text: " ".join(text.split()).lower()

    def node(text):
        key = comparable(text)
        if key not in ids:
            ids[key] = len(sentences)
            sentences.append(text.strip())
            parent.append(len(parent))
            links.append(0)
        return ids[key]

    for a, b, same in load_pairs(os.path.join(directory, "dev.txt")):
        if not same or comparable(a) == comparable(b):
            continue
        positive += 1
        x, y = node(a), node(b)
        links[x] += 1
        links[y] += 1
        rx, ry = root(x), root(y)
        parent[max(rx, ry)] = min(rx, ry)
    members = {}
    for s in range(len(sentences)):
        members.setdefault(root(s), []).append(s)
    questions, queries, sizes = [], [], []
    for r in sorted(members):
        cluster = members[r]
        if len(cluster) < 2:
            continue
        question = max(cluster, key=lambda s: (links[s], -s))
        queries.extend((sentences[s], len(questions)) for s in cluster if s != question)
        questions.append(sentences[question])
        sizes.append(len(cluster))
    started = time.perf_counter()
    bm25 = BM25Okapi([tokens(q) for q in questions])
    index_ms = (time.perf_counter() - started) * 1000
    totals = Totals()
    for query, faq in queries:
        top = top_k(bm25.get_scores(tokens(query)), k)
        totals.add(metrics([d == faq for d in top], 1))
    histogram = {}
    for size in sizes:
        key = "5+" if size >= 5 else str(size)
        histogram[key] = histogram.get(key, 0) + 1
    return {
        "set": os.path.basename(os.path.normpath(directory)),
        "positive_pairs": positive,
        "faqs": len(questions),
        "queries": len(queries),
        "cluster_sizes": dict(sorted(histogram.items())),
        "largest_cluster": max(sizes),
        "k": k,
        "cross_validated": totals.json(len(queries)),
        "index_ms": index_ms,
    }


def load_tickets(path, text_column, label_column):
    import csv

    with open(path, encoding="utf-8", newline="") as f:
        return [(row[text_column], row[label_column]) for row in csv.DictReader(f)]


def cases(args):
    """Similar solved cases by proxy (as `seatmate eval cases`): every training ticket a case,
    each test ticket's top k by BM25Okapi; precision@k of same-category cases."""
    train = load_tickets(args.cases_train, "text", "category")
    test = load_tickets(args.cases_test, "text", "category")
    started = time.perf_counter()
    bm25 = BM25Okapi([tokens(t) for t, _ in train])
    index_s = time.perf_counter() - started
    same_total, top_right = 0, 0
    for text, label in test:
        top = top_k(bm25.get_scores(tokens(text)), args.cases_k)
        same = [train[d][1] == label for d in top]
        same_total += sum(same)
        top_right += bool(same and same[0])
    n = max(len(test), 1)
    return {
        "cases": len(train),
        "queries": len(test),
        "k": args.cases_k,
        "precision_at_k": same_total / (n * args.cases_k),
        "precision_of_shown": same_total / (n * args.cases_k),
        "top_case_right": top_right / n,
        "nothing_shown": 0.0,
        "index_s": index_s,
    }


def best_threshold(scored):
    """The threshold (midway between neighbours) most accurate on these (score, same) pairs."""
    scored.sort(key=lambda x: x[0])
    positives = sum(1 for _, same in scored if same)
    correct = best = positives
    threshold = -math.inf
    for i, (score, same) in enumerate(scored):
        correct += -1 if same else 1
        nxt = scored[i + 1][0] if i + 1 < len(scored) else score + 1e-3
        if correct > best and nxt > score:
            best, threshold = correct, (score + nxt) / 2
    return threshold


def afqmc(args):
    import jieba

    jieba.setLogLevel(60)
    train = load_pairs(os.path.join(args.afqmc, "train.txt"))
    dev = load_pairs(os.path.join(args.afqmc, "dev.txt"))
    sentences = {}
    for a, b, _ in train + dev:
        for s in (a, b):
            sentences.setdefault(s, len(sentences))
    words = lambda s: [w for w in jieba.lcut(s) if w.strip()]
    started = time.perf_counter()
    corpus = [words(s) for s in sentences]
    bm25 = BM25Okapi(corpus)
    bm25.doc_len = np.asarray(bm25.doc_len)  # get_batch_scores converts it on every call
    index_s = time.perf_counter() - started

    def score(pair):
        a, b, _ = pair
        doc = sentences[a]
        own = bm25.get_batch_scores(corpus[doc], [doc])[0]
        return bm25.get_batch_scores(corpus[sentences[b]], [doc])[0] / own if own > 0 else 0.0

    if 0 < args.afqmc_train_pairs < len(train):
        Rng(42).shuffle(train)
        train = train[: args.afqmc_train_pairs]
    scored = [(score(p), p[2]) for p in train]
    threshold = best_threshold(scored)
    train_accuracy = sum((s > threshold) == same for s, same in scored) / len(scored)
    dev_scores = [score(p) for p in dev]
    correct = sum((s > threshold) == p[2] for s, p in zip(dev_scores, dev))
    positives = sum(1 for p in dev if p[2])
    return {
        "train_pairs": len(train),
        "dev_pairs": len(dev),
        "sentences": len(sentences),
        "threshold": threshold,
        "train_accuracy": train_accuracy,
        "dev_accuracy": correct / max(len(dev), 1),
        "dev_majority_class_accuracy": max(positives, len(dev) - positives) / max(len(dev), 1),
        "dev_called_same": sum(s > threshold for s in dev_scores),
        "index_s": index_s,
        "setting": "BM25Okapi over jieba words of all train+dev sentences; BM25(s2 | s1) / BM25(s1 | s1)",
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--stackfaq", help="StackFAQ's stackExchange-FAQ.json")
    ap.add_argument("--afqmc", help="AFQMC folder (train.txt, dev.txt)")
    ap.add_argument("--pairs-faq", action="append", default=[],
                    help="folder of labelled question pairs (dev.txt): paraphrase clusters as FAQs; repeatable")
    ap.add_argument("--cases-train", help="past tickets (CSV text,category): similar solved cases by proxy")
    ap.add_argument("--cases-test", help="tickets that look for similar cases (CSV text,category)")
    ap.add_argument("--cases-k", type=int, default=5)
    ap.add_argument("--afqmc-train-pairs", type=int, default=10_000,
                    help="train pairs (a seeded sample) that choose the threshold; 0 = all")
    ap.add_argument("--latency-entries", type=int, default=0,
                    help="also time queries over the documents padded with copies to this many entries")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--json", action="store_true", help="accepted for symmetry: the report is always one JSON line")
    args = ap.parse_args()
    if not args.stackfaq and not args.afqmc and not args.pairs_faq and not args.cases_train:
        ap.error("name a data set: --stackfaq FILE, --afqmc DIR, --pairs-faq DIR and/or --cases-train/--cases-test")
    if bool(args.cases_train) != bool(args.cases_test):
        ap.error("--cases-train and --cases-test go together")
    if args.k < 1 or args.folds < 2:
        ap.error("--k must be at least 1 and --folds at least 2")
    report = {"engine": "rank_bm25 BM25Okapi (nltk Porter; jieba for Chinese)"}
    if args.stackfaq:
        report["stackfaq"] = stackfaq(args)
    if args.pairs_faq:
        report["pairs_faq"] = [pairs_faq(d, args.k) for d in args.pairs_faq]
    if args.cases_train:
        report["cases"] = cases(args)
    if args.afqmc:
        report["afqmc"] = afqmc(args)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
