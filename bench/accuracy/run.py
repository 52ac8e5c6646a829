"""Accuracy on a generated, labelled corpus: per-entity precision, recall and F2, the
record-count error, and every finding on a negative document.

Run: ``make bench-accuracy`` or ``.venv/bin/python bench/accuracy/run.py --seed 7 --per-kind 12``.
A different seed is a held-out corpus of the same kinds.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.accuracy.corpus import build

from sekisho.detect.entities import IDENTIFYING
from sekisho.scan import Scanner


def f_beta(precision: float, recall: float, beta: float = 2.0) -> float:
    if precision == 0 and recall == 0:
        return 0.0
    b2 = beta * beta
    return (1 + b2) * precision * recall / (b2 * precision + recall)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--per-kind", type=int, default=10)
    parser.add_argument("--show", type=int, default=5, help="mistakes to print per entity")
    args = parser.parse_args()

    docs = build(args.seed, args.per_kind)
    scanner = Scanner()
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    examples: dict[str, list[str]] = defaultdict(list)
    record_error = 0
    record_total = 0
    negative_hits: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for doc in docs:
            path = Path(tmp) / doc.name
            path.write_bytes(doc.data)
            report = scanner.scan_file(path)
            if report.unscannable:
                negative_hits.append(
                    f"{doc.name}: unscannable {[p.reason for p in report.problems]}"
                )
            found = Counter((f.location, f.entity) for f in report.findings)
            expected = Counter(doc.labels)
            for key in found | expected:
                hit = min(found[key], expected[key])
                tp[key[1]] += hit
                fp[key[1]] += found[key] - hit
                fn[key[1]] += expected[key] - hit
                if found[key] > hit and len(examples[key[1]]) < args.show:
                    examples[key[1]].append(f"FP {doc.name} {key[0]}")
                if expected[key] > hit and len(examples[key[1]]) < args.show:
                    examples[key[1]].append(f"FN {doc.name} {key[0]}")
            if doc.negative:
                # An organisation's address or phone is labelled: found, but nobody's.
                labelled = set(doc.labels)
                for f in report.findings:
                    if (f.location, f.entity) not in labelled:
                        negative_hits.append(f"{doc.name} {f.location} {f.entity} {f.excerpt}")
                if report.records:
                    negative_hits.append(f"{doc.name}: {report.records} records")
            else:
                record_total += doc.records
                record_error += abs(report.records - doc.records)

    print(
        f"corpus: seed {args.seed}, {len(docs)} documents ({sum(d.negative for d in docs)} negatives)"
    )
    print(f"{'entity':28} {'TP':>6} {'FP':>5} {'FN':>5} {'precision':>9} {'recall':>7} {'F2':>6}")
    worst = 1.0
    for entity in sorted(set(tp) | set(fp) | set(fn)):
        p = tp[entity] / (tp[entity] + fp[entity]) if tp[entity] + fp[entity] else 1.0
        r = tp[entity] / (tp[entity] + fn[entity]) if tp[entity] + fn[entity] else 1.0
        worst = min(worst, p, r)
        print(
            f"{entity:28} {tp[entity]:6} {fp[entity]:5} {fn[entity]:5} {p:9.3f} {r:7.3f} {f_beta(p, r):6.3f}"
        )
        for line in examples[entity]:
            print(f"    {line}")
    error = record_error / record_total if record_total else 0.0
    print(f"records: expected {record_total}, absolute error {record_error} ({error:.2%})")
    identifying_on_negatives = [
        h for h in negative_hits if any(e in h for e in IDENTIFYING) or "records" in h
    ]
    negatives_with_people = [h for h in negative_hits if h.endswith(" records")]
    print(
        f"findings on negatives: {len(negative_hits)} (person-identifying or records: {len(identifying_on_negatives)}); "
        f"negatives with people: {len(negatives_with_people)} of {sum(d.negative for d in docs)}"
    )
    print("negatives by kind (documents reporting people / documents):")
    for kind in sorted({d.kind for d in docs if d.negative}):
        names = [d.name for d in docs if d.negative and d.kind == kind]
        bad = sum(any(h.startswith(f"{n}: ") for h in negatives_with_people) for n in names)
        print(f"    {kind:12} {bad}/{len(names)}")
    for line in negative_hits[:30]:
        print(f"    {line}")
    ok = worst >= 0.98 and error <= 0.01 and not identifying_on_negatives
    print(
        f"targets (P and R >= 0.98 per entity, records within 1%, nothing identifying on negatives): {'met' if ok else 'NOT met'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
