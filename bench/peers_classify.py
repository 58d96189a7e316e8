#!/usr/bin/env python3
"""Peer classifiers for `cargo xtask bench classify`: the same data, protocol and JSON keys as
`seatmate eval classify --json`.

Protocol (as in seatmate_classify::evaluate): examples labelled --oos-label are never trained on;
10% of train (seed 42, stratified where possible) is held out; a model fitted on the other 90%
gives the held-out probabilities that calibrate (sklearn: a softmax temperature) and choose the
auto-accept thresholds (smallest top-1 probability whose accepted predictions reach the target
precision). The model evaluated on test is then refitted on all of train; train_seconds counts
both fits. Thresholds come from the in-scope examples of --val when given, else the held-out 10%.
The out-of-scope threshold is the highest that keeps in-scope accuracy there (abstaining counts
wrong) >= 95%, or >= plain accuracy - 2 points when the model is below 95% anyway.
"""

import argparse
import csv
import json
import os
import random
import re
import resource
import sys
import tempfile
import time

import numpy as np

TARGETS = [0.90, 0.95, 0.99]
SEED = 42


# ---------- loaders (same formats as crates/seatmate-cli/src/eval.rs) ----------

def load_csv(path, text_col, label_col):
    csv.field_size_limit(1 << 24)
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        header = [h.strip() for h in next(reader)]
        for col in (text_col, label_col):
            if col not in header:
                sys.exit(f"{path} line 1: no column {col!r}")
        ti, li = header.index(text_col), header.index(label_col)
        out = []
        for row in reader:
            if len(row) <= max(ti, li):
                sys.exit(f"{path} line {reader.line_num}: short row")
            out.append((row[ti], row[li].strip()))
        return out


def load_jsonl(path, text_col, label_col):
    out = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                obj = json.loads(line)
                if text_col not in obj or label_col not in obj:
                    sys.exit(f"{path} line {n}: no field {text_col!r} or {label_col!r}")
                out.append((str(obj[text_col]), str(obj[label_col])))
    return out


def load_clinc(path, split, oos_label):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    main, oos = {"train": ("train", None), "val": ("val", "oos_val"), "test": ("test", "oos_test")}[split]
    out = [(t, l) for t, l in data[main]]
    if oos:
        out += [(t, oos_label) for t, _ in data[oos]]
    return out


def load_seqin(path):
    with open(os.path.join(path, "seq.in"), encoding="utf-8") as f:
        texts = f.read().splitlines()
    with open(os.path.join(path, "label"), encoding="utf-8") as f:
        labels = f.read().splitlines()
    if len(texts) != len(labels):
        sys.exit(f"{path}: {len(texts)} texts but {len(labels)} labels")
    return [(t, l.strip()) for t, l in zip(texts, labels)]


def guess_format(path):
    if os.path.isdir(path):
        return "seqin"
    ext = path.lower().rsplit(".", 1)[-1]
    return {"csv": "csv", "jsonl": "jsonl", "ndjson": "jsonl", "json": "clinc"}.get(ext) or sys.exit(
        f"cannot tell the format of {path}: give --format")


def load(path, fmt, split, args, oos_label):
    if fmt == "csv":
        return load_csv(path, args.text_column, args.label_column or "category")
    if fmt == "jsonl":
        return load_jsonl(path, args.text_column, args.label_column or "label")
    if fmt == "clinc":
        return load_clinc(path, split, oos_label)
    return load_seqin(path)


# ---------- text ----------

def is_chinese(texts):
    sample = "".join(texts[:500])
    han = sum(1 for c in sample if "\u4e00" <= c <= "\u9fff")
    return han > 0.3 * max(1, sum(1 for c in sample if not c.isspace()))


def jieba_or_none():
    try:
        import jieba
        jieba.setLogLevel(60)
        return jieba
    except ImportError:
        return None


# ---------- peers: fit(texts, labels) -> predictor; predictor(texts) -> (classes, probs[n, k]) ----------

def softmax(scores, temperature):
    z = scores / temperature
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def fit_temperature(scores, y_idx):
    """The softmax temperature that minimises held-out log-loss (grid search)."""
    best = (np.inf, 1.0)
    for t in np.geomspace(0.01, 10, 60):
        p = softmax(scores, t)
        nll = -np.mean(np.log(np.clip(p[np.arange(len(y_idx)), y_idx], 1e-12, None)))
        best = min(best, (nll, t))
    return best[1]


class SklearnPeer:
    name = "sklearn-tfidf-svm"

    def __init__(self, chinese, c):
        self.chinese, self.c = chinese, c
        self.jieba = jieba_or_none() if chinese else None
        self.temperature = 1.0
        if chinese:
            self.setting = f"char 1-3 tf-idf{' + jieba word 1-2' if self.jieba else ' (jieba missing: char only)'}, LinearSVC(C={c})"
        else:
            self.setting = f"word 1-2 + char_wb 2-5 tf-idf (sublinear), LinearSVC(C={c})"

    def _vectorizer(self):
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.pipeline import FeatureUnion
        if self.chinese:
            parts = [("char", TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=2))]
            if self.jieba:
                cut = lambda s: [w for w in self.jieba.lcut(s) if w.strip()]  # noqa: E731
                parts.append(("word", TfidfVectorizer(tokenizer=cut, token_pattern=None, lowercase=True,
                                                      ngram_range=(1, 2), sublinear_tf=True, min_df=2)))
        else:
            parts = [("word", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)),
                     ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2))]
        return FeatureUnion(parts)

    def fit(self, texts, labels):
        from sklearn.svm import LinearSVC
        vec = self._vectorizer()
        x = vec.fit_transform(texts)
        svm = LinearSVC(C=self.c, random_state=SEED).fit(x, labels)
        self.vec, self.svm = vec, svm
        return self

    def scores(self, texts):
        s = self.svm.decision_function(self.vec.transform(texts))
        return s if s.ndim == 2 else np.stack([-s, s], axis=1)

    def classes(self):
        return list(self.svm.classes_)

    def calibrate(self, texts, labels):
        index = {c: i for i, c in enumerate(self.classes())}
        keep = [i for i, l in enumerate(labels) if l in index]
        s = self.scores([texts[i] for i in keep])
        self.temperature = fit_temperature(s, np.array([index[labels[i]] for i in keep]))
        self.setting += f", softmax temperature {self.temperature:.3g}"

    def predict_proba(self, texts):
        return softmax(self.scores(texts), self.temperature)


class FasttextPeer:
    name = "fasttext"

    def __init__(self, chinese):
        import fasttext  # noqa: F401
        self.chinese = chinese
        self.jieba = jieba_or_none() if chinese else None
        seg = ("jieba words" if self.jieba else "characters") if chinese else "words and punctuation"
        self.setting = f"supervised, wordNgrams=2 epoch=25 lr=0.5 dim=100 ({seg})"

    def _prep(self, text):
        text = " ".join(re.findall(r"\w+|[^\w\s]", text.lower()))
        if self.chinese:
            parts = self.jieba.lcut(text) if self.jieba else list(text)
            text = " ".join(p for p in parts if p.strip())
        return text

    def fit(self, texts, labels):
        import fasttext
        self.labels = sorted(set(labels))
        self.key = {l: f"__label__{i}" for i, l in enumerate(self.labels)}
        pairs = list(zip(texts, labels))
        random.Random(SEED).shuffle(pairs)  # SGD on class-sorted files loses ~8 points on banking77
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as f:
            for t, l in pairs:
                f.write(f"{self.key[l]} {self._prep(t)}\n")
        try:
            self.model = fasttext.train_supervised(f.name, wordNgrams=2, epoch=25, lr=0.5, dim=100,
                                                   thread=os.cpu_count() or 1, seed=SEED, verbose=0)
        finally:
            os.unlink(f.name)
        return self

    def classes(self):
        return self.labels

    def calibrate(self, texts, labels):
        pass  # fastText's softmax is used as it is

    def predict_proba(self, texts):
        # model.f.predict, not model.predict: fasttext-wheel 0.9.2's wrapper breaks under NumPy 2.
        probs = np.zeros((len(texts), len(self.labels)))
        for row, t in enumerate(texts):
            for p, lab in self.model.f.predict(self._prep(t), -1, 0.0, "strict"):
                probs[row, int(lab[len("__label__"):])] = p
        return probs


# ---------- evaluation ----------

def split_calibration(texts, labels, fraction=0.1):
    from sklearn.model_selection import train_test_split
    counts = {}
    for l in labels:
        counts[l] = counts.get(l, 0) + 1
    idx = list(range(len(texts)))
    strat_ok = [i for i in idx if counts[labels[i]] >= 2]
    rare = [i for i in idx if counts[labels[i]] < 2]
    fit_i, cal_i = train_test_split(strat_ok, test_size=fraction, random_state=SEED,
                                    stratify=[labels[i] for i in strat_ok])
    fit_i = list(fit_i) + rare
    return ([texts[i] for i in fit_i], [labels[i] for i in fit_i]), ([texts[i] for i in cal_i], [labels[i] for i in cal_i])


def threshold_for_precision(conf, correct, target):
    """Smallest top-1 probability whose accepted predictions reach `target` precision."""
    order = np.argsort(-conf)
    hits = np.cumsum(correct[order])
    prec = hits / np.arange(1, len(order) + 1)
    ok = np.nonzero(prec >= target)[0]
    return None if len(ok) == 0 else float(conf[order][ok[-1]])


def oos_threshold(conf, correct):
    """Highest top-1 probability threshold keeping held-out in-scope accuracy (abstaining counts
    wrong) >= the floor: 95%, or plain accuracy - 2 points when that is below 95% (as Seatmate)."""
    floor = min(0.95, correct.mean() - 0.02)
    for t in np.unique(conf)[::-1]:
        if (correct & (conf >= t)).mean() >= floor:
            return float(t), floor
    return 0.0, floor


def macro_f1(y_true, y_pred):
    """Over every label that occurs as truth or prediction (as seatmate_classify::macro_f1)."""
    from sklearn.metrics import f1_score
    labels = sorted(set(y_true) | set(y_pred))
    return float(f1_score(y_true, y_pred, labels=labels, average="macro", zero_division=0))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--train", required=True)
    ap.add_argument("--test", required=True)
    ap.add_argument("--val")
    ap.add_argument("--format", choices=["csv", "jsonl", "clinc", "seqin"])
    ap.add_argument("--text-column", default="text")
    ap.add_argument("--label-column")
    ap.add_argument("--oos-label")
    ap.add_argument("--peer", choices=["sklearn", "fasttext"], default="sklearn")
    ap.add_argument("--c", type=float, default=0.5, help="LinearSVC C (sklearn)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    fmt = args.format or guess_format(args.train)
    oos_label = args.oos_label or ("oos" if fmt == "clinc" else None)
    train = load(args.train, fmt, "train", args, oos_label or "oos")
    test = load(args.test, fmt, "test", args, oos_label or "oos")
    val = load(args.val, fmt, "val", args, oos_label or "oos") if args.val else None
    train = [(t, l) for t, l in train if l != oos_label]
    texts, labels = [t for t, _ in train], [l for _, l in train]
    chinese = is_chinese(texts)

    def make():
        return SklearnPeer(chinese, args.c) if args.peer == "sklearn" else FasttextPeer(chinese)

    # fit on 90%, calibrate and choose thresholds on the held-out 10%, refit on all
    start = time.perf_counter()
    (fit_t, fit_l), (cal_t, cal_l) = split_calibration(texts, labels)
    first = make().fit(fit_t, fit_l)
    first.calibrate(cal_t, cal_l)
    cal_p = first.predict_proba(cal_t)
    cal_classes = np.array(first.classes())
    cal_conf = cal_p.max(axis=1)
    cal_correct = cal_classes[cal_p.argmax(axis=1)] == np.array(cal_l)
    temperature, setting = getattr(first, "temperature", 1.0), first.setting
    del first  # fastText models are large (2M buckets x dim 100): keep one at a time
    model = make().fit(texts, labels)
    model.temperature, model.setting = temperature, setting
    train_seconds = time.perf_counter() - start

    classes = np.array(model.classes())
    test_t, test_l = [t for t, _ in test], np.array([l for _, l in test])
    probs = model.predict_proba(test_t)
    order = np.argsort(-probs, axis=1)[:, :5]
    conf = probs.max(axis=1)
    pred = classes[order[:, 0]]
    is_oos = test_l == oos_label if oos_label else np.zeros(len(test_l), bool)
    ins = ~is_oos
    correct = pred == test_l
    topk = lambda k: float(np.mean([test_l[i] in classes[order[i, :k]] for i in np.nonzero(ins)[0]]))  # noqa: E731

    # thresholds come from held-out data: the validation set when given, else the calibration share
    held_conf, held_correct = cal_conf, cal_correct
    if val:
        vt, vl = [t for t, _ in val], np.array([l for _, l in val])
        vp = model.predict_proba(vt)
        v_in = vl != oos_label
        held_conf, held_correct = vp.max(axis=1)[v_in], (classes[vp.argmax(axis=1)] == vl)[v_in]

    auto = []
    for target in TARGETS:
        th = threshold_for_precision(held_conf, held_correct, target)
        acc = ins & (conf >= th) if th is not None else np.zeros(len(conf), bool)
        auto.append({"target_precision": target, "threshold": th, "share": float(acc.sum() / max(1, ins.sum())),
                     "precision": float(correct[acc].mean()) if acc.any() else 0.0})

    oos = None
    if is_oos.any():
        th, floor = oos_threshold(held_conf, held_correct)
        oos = {"recall": float((conf[is_oos] < th).mean()),
               "in_scope_accuracy": float((correct[ins] & (conf[ins] >= th)).mean()), "threshold": th,
               "min_in_scope_accuracy": floor}

    # latency: one text at a time, up to 2000 test texts
    rng = random.Random(SEED)
    sample = rng.sample(test_t, min(2000, len(test_t)))
    lat = []
    for t in sample:
        s = time.perf_counter()
        model.predict_proba([t])
        lat.append((time.perf_counter() - s) * 1000)

    report = {
        "n_train": len(train), "n_test": len(test), "n_classes": len(classes),
        "accuracy": float(correct[ins].mean()), "macro_f1": macro_f1(list(test_l[ins]), list(pred[ins])),
        "top1": topk(1), "top3": topk(3), "top5": topk(5), "auto_accept": auto, "oos": oos,
        "train_seconds": train_seconds,
        "predict_p50_ms": float(np.percentile(lat, 50)), "predict_p99_ms": float(np.percentile(lat, 99)),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "dataset": os.path.basename(args.train.rstrip("/")), "engine": model.name, "setting": model.setting,
    }
    if args.json:
        print(json.dumps(report))
    else:
        for k, v in report.items():
            print(f"{k:16} {v}")


if __name__ == "__main__":
    main()
