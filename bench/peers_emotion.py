#!/usr/bin/env python3
"""Peer emotion models for `cargo xtask bench emotion`: scikit-learn TF-IDF + logistic regression,
and fastText, on the splits `seatmate eval emotion --write-splits DIR` prepared (the very texts and
labels Seatmate trains, chooses its settings and is judged on).

For every set folder in DIR (meta.json, train/dev/test.jsonl) a peer trains on train, scores dev
and test, and writes `<set>/<peer>.scores.json`: one score per label for every dev and test text.
It does not judge itself: `seatmate eval emotion --peers DIR` turns those scores into macro-F1 and
accuracy with the same code as Seatmate's (per-label thresholds chosen on dev for multi-label
GoEmotions, the best label otherwise). The peer's own setting (logistic regression C) is chosen
on dev the same way. Chinese text is segmented with jieba (words) beside character n-grams.
"""

import argparse
import json
import os
import random
import re
import sys
import tempfile
import time

import numpy as np

SEED = 42


def load(folder):
    with open(os.path.join(folder, "meta.json"), encoding="utf-8") as f:
        meta = json.load(f)
    parts = {}
    for part in ("train", "dev", "test"):
        with open(os.path.join(folder, f"{part}.jsonl"), encoding="utf-8") as f:
            rows = [json.loads(line) for line in f if line.strip()]
        parts[part] = ([r["text"] for r in rows], [r["labels"] for r in rows])
    return meta, parts


def is_chinese(texts):
    sample = "".join(texts[:500])
    han = sum(1 for c in sample if "\u4e00" <= c <= "\u9fff")
    return han > 0.3 * max(1, sum(1 for c in sample if not c.isspace()))


def jieba():
    import jieba as j
    j.setLogLevel(60)
    return j


# ---------- the metric, for choosing the peer's own setting on dev (the reported figures are computed by seatmate) ----------

def f1_thresholds(scores, gold, n):
    out = []
    for k in range(n):
        col = scores[:, k]
        pos = np.array([k in g for g in gold])
        if not pos.any():
            out.append(np.inf)
            continue
        order = np.argsort(-col, kind="stable")
        tp = np.cumsum(pos[order])
        f1 = 2 * tp / (np.arange(1, len(order) + 1) + pos.sum())
        i = int(np.argmax(f1))
        nxt = col[order][i + 1] if i + 1 < len(order) else col[order][i] - 1e-3
        out.append((col[order][i] + nxt) / 2)
    return np.array(out)


def decide(scores, gold_dev, dev_scores, multi):
    if not multi:
        return [[int(np.argmax(s))] for s in scores]
    t = f1_thresholds(dev_scores, gold_dev, scores.shape[1])
    out = []
    for s in scores:
        chosen = [k for k in range(len(s)) if s[k] >= t[k]]
        out.append(chosen or [int(np.argmax(s - t))])
    return out


def macro_f1(pred, gold, n):
    f1s = []
    for k in range(n):
        tp = sum(1 for p, g in zip(pred, gold) if k in p and k in g)
        fp = sum(1 for p, g in zip(pred, gold) if k in p and k not in g)
        fn = sum(1 for p, g in zip(pred, gold) if k not in p and k in g)
        if 2 * tp + fp + fn:
            f1s.append(2 * tp / (2 * tp + fp + fn))
    return sum(f1s) / max(1, len(f1s))


# ---------- peers: fit(train texts, label sets) ; scores(texts) -> [n, labels] ----------

class Sklearn:
    name = "sklearn"

    def __init__(self, chinese, multi, n_labels, c):
        self.chinese, self.multi, self.n, self.c = chinese, multi, n_labels, c
        feats = "char 1-3 + jieba words 1-2" if chinese else "word 1-2 + char_wb 2-5"
        self.setting = f"TF-IDF ({feats}, sublinear) + LogisticRegression(C={c}{', one-vs-rest' if multi else ''})"

    def _vectorizer(self):
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.pipeline import FeatureUnion
        if self.chinese:
            j = jieba()
            cut = lambda s: [w for w in j.lcut(s) if w.strip()]  # noqa: E731
            parts = [("char", TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=2)),
                     ("word", TfidfVectorizer(tokenizer=cut, token_pattern=None, ngram_range=(1, 2),
                                              sublinear_tf=True, min_df=2))]
        else:
            parts = [("word", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2)),
                     ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2))]
        return FeatureUnion(parts)

    def fit(self, texts, labels):
        from sklearn.linear_model import LogisticRegression
        self.vec = self._vectorizer()
        x = self.vec.fit_transform(texts)
        if self.multi:
            self.models = []
            for k in range(self.n):
                y = np.array([int(k in l) for l in labels])
                m = LogisticRegression(C=self.c, max_iter=1000, solver="liblinear") if 0 < y.sum() < len(y) else None
                self.models.append(m.fit(x, y) if m else None)
        else:
            y = np.array([l[0] for l in labels])
            self.model = LogisticRegression(C=self.c, max_iter=1000).fit(x, y)
        return self

    def scores(self, texts):
        x = self.vec.transform(texts)
        if self.multi:
            cols = [m.predict_proba(x)[:, 1] if m else np.zeros(x.shape[0]) for m in self.models]
            return np.stack(cols, axis=1)
        p = self.model.predict_proba(x)
        out = np.zeros((x.shape[0], self.n))
        out[:, self.model.classes_] = p
        return out


class Fasttext:
    name = "fasttext"

    def __init__(self, chinese, multi, n_labels):
        import fasttext  # noqa: F401
        self.chinese, self.multi, self.n = chinese, multi, n_labels
        self.jieba = jieba() if chinese else None
        seg = "jieba words" if chinese else "words and punctuation"
        loss = "ova (multi-label)" if multi else "softmax"
        self.setting = f"supervised, wordNgrams=2 epoch=25 lr=0.5 dim=100, loss {loss} ({seg})"

    def _prep(self, text):
        text = " ".join(re.findall(r"\w+|[^\w\s]", text.lower().replace("\n", " ")))
        if self.chinese:
            text = " ".join(p for p in self.jieba.lcut(text) if p.strip())
        return text

    def fit(self, texts, labels):
        import fasttext
        pairs = list(zip(texts, labels))
        random.Random(SEED).shuffle(pairs)
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as f:
            for t, ls in pairs:
                f.write(" ".join(f"__label__{k}" for k in ls) + f" {self._prep(t)}\n")
        try:
            self.model = fasttext.train_supervised(f.name, wordNgrams=2, epoch=25, lr=0.5, dim=100,
                                                   loss="ova" if self.multi else "softmax",
                                                   thread=os.cpu_count() or 1, seed=SEED, verbose=0)
        finally:
            os.unlink(f.name)
        return self

    def scores(self, texts):
        # model.f.predict, not model.predict: fasttext-wheel 0.9.2's wrapper breaks under NumPy 2.
        out = np.zeros((len(texts), self.n))
        for row, t in enumerate(texts):
            for p, lab in self.model.f.predict(self._prep(t), -1, 0.0, "strict"):
                out[row, int(lab[len("__label__"):])] = p
        return out


def run(folder, peer_name, grid):
    meta, parts = load(folder)
    labels, multi = meta["labels"], meta["multi_label"]
    (train_t, train_l), (dev_t, dev_l), (test_t, test_l) = parts["train"], parts["dev"], parts["test"]
    chinese = is_chinese(train_t)
    start = time.perf_counter()
    if peer_name == "sklearn":
        best = None
        for c in grid:
            peer = Sklearn(chinese, multi, len(labels), c).fit(train_t, train_l)
            dev = peer.scores(dev_t)
            f1 = macro_f1(decide(dev, dev_l, dev, multi), dev_l, len(labels))
            if best is None or f1 > best[0]:
                best = (f1, peer, dev)
        _, peer, dev = best
        setting = peer.setting + f"; C chosen on dev from {grid}"
    else:
        peer = Fasttext(chinese, multi, len(labels)).fit(train_t, train_l)
        dev = peer.scores(dev_t)
        setting = peer.setting
    train_s = time.perf_counter() - start
    start = time.perf_counter()
    test = peer.scores(test_t)
    ms = (time.perf_counter() - start) * 1000 / max(1, len(test_t))
    out = {"engine": peer_name, "setting": setting, "train_s": train_s, "ms_per_text": ms,
           "dev": np.round(dev, 6).tolist(), "test": np.round(test, 6).tolist()}
    with open(os.path.join(folder, f"{peer_name}.scores.json"), "w", encoding="utf-8") as f:
        json.dump(out, f)
    print(f"{os.path.basename(folder)} / {peer_name}: {setting}; train {train_s:.1f} s, {ms:.3f} ms/text", file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--splits", required=True, help="folder written by seatmate eval emotion --write-splits")
    ap.add_argument("--peer", choices=["sklearn", "fasttext"], action="append")
    ap.add_argument("--c", type=float, action="append", help="logistic regression C values tried on dev")
    ap.add_argument("--set", action="append", help="only these sets (folder names)")
    args = ap.parse_args()
    grid = args.c or [2.0, 8.0]
    for name in sorted(os.listdir(args.splits)):
        folder = os.path.join(args.splits, name)
        if not os.path.isfile(os.path.join(folder, "meta.json")) or (args.set and name not in args.set):
            continue
        for peer in args.peer or ["sklearn", "fasttext"]:
            try:
                run(folder, peer, grid)
            except ImportError as e:
                print(f"{name} / {peer}: not installed ({e})", file=sys.stderr)


if __name__ == "__main__":
    main()
