#!/usr/bin/env python3
"""What-if figures from an `eval --candidates FILE` dump, without running scanproof again.

    tools/candidates_whatif.py DUMP --thresholds 0.4,0.45,0.5
    tools/candidates_whatif.py DUMP --prior 0.1 --pseudo 20,50,100,200

Only the `scored` set is read (held-out pages when the dump came from `eval --folds`). For each
threshold, or each re-estimated prior, it prints precision over the corrupted runs, a recall
proxy (candidates on an injected error at or above the threshold, over all candidates on one:
an error no candidate touches is not in the dump), their F1, and false alarms a page on the clean
transcriptions. The figures are those of `eval` up to that proxy: compare rows, not with `eval`.

`--prior P` re-estimates each run's prior from its own scores (Saerens, Latinne and Decaestecker
2002: EM over the posteriors), shrunk towards the training prior P (the model's positives over
rows, in its provenance) with N pseudo-candidates, and shifts every score's log-odds by the
difference.
"""
import argparse
import collections
import json
import math


def logit(p):
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def logistic(x):
    return 1 / (1 + math.exp(-x))


def prior_shift(scores, prior, pseudo, rounds=50):
    """The log-odds shift of a run whose scores suggest another prior than `prior`."""
    estimate = prior
    for _ in range(rounds):
        shift = logit(estimate) - logit(prior)
        posterior = sum(logistic(logit(p) + shift) for p in scores)
        estimate = (pseudo * prior + posterior) / (pseudo + len(scores))
    return logit(estimate) - logit(prior)


def figures(runs, pages, threshold, shift_of):
    tp = fp = false_alarms = found = errors = 0
    for (page, run), rows in runs.items():
        shift = shift_of([r["flag"]["score"] for r in rows])
        for r in rows:
            shown = logistic(logit(r["flag"]["score"]) + shift) >= threshold
            if run > 0:
                if r["injected"]:
                    errors += 1
                    found += shown
                    tp += shown
                elif not r["label"]:
                    fp += shown
            elif not r["natural"]:
                false_alarms += shown
    precision = tp / max(1, tp + fp)
    recall = found / max(1, errors)
    f1 = 2 * precision * recall / max(1e-9, precision + recall)
    return f"precision {precision:.3f} recall~ {recall:.3f} F1~ {f1:.3f} false alarms a page {false_alarms / pages:.2f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dump")
    ap.add_argument("--thresholds", default="0.5")
    ap.add_argument("--prior", type=float)
    ap.add_argument("--pseudo", default="20,50,100,200")
    args = ap.parse_args()
    runs = collections.defaultdict(list)
    with open(args.dump) as f:
        for line in f:
            r = json.loads(line)
            if r["set"] == "scored":
                runs[(r["page"], r["run"])].append(r)
    pages = max(1, len({page for page, _ in runs}))
    if args.prior is None:
        for t in (float(x) for x in args.thresholds.split(",")):
            print(f"threshold {t:.2f}: {figures(runs, pages, t, lambda s: 0.0)}")
        return
    print(f"as scored: {figures(runs, pages, 0.5, lambda s: 0.0)}")
    for n in (float(x) for x in args.pseudo.split(",")):
        print(f"prior per run, {n:.0f} pseudo-candidates: "
              f"{figures(runs, pages, 0.5, lambda s: prior_shift(s, args.prior, n))}")


if __name__ == "__main__":
    main()
