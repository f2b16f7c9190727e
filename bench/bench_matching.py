"""Benchmark of the matching engine on generated organisations.

    .venv/bin/python bench/bench_matching.py [1000 10000 100000] [--fair]

Each size runs in its own process, so "peak MiB" is that run's own peak resident
memory. Beside the engine's solve, rustworkx max_weight_matching(max_cardinality=True)
(and networkx at 1,000 only) solve the *same* graph in the same run; a baseline is
given ~90 s and reported as skipped when it does not finish in time.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from typing import Any

import numpy as np

BASELINE_SECONDS = 90.0
FAIR_MAX = 10_000  # the fair run beside the default, up to this size
SEED = 1


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def run_engine(n: int, mode: str, graph_file: str) -> dict[str, Any]:
    from peermentor.demo_org import generate_organisation
    from peermentor.matching.engine import run_matching
    from peermentor.matching.settings import MatchSettings
    from peermentor.matching.solver import solve_fair, solve_matching

    # Compile (or load) the solver's and the candidate scan's JIT kernels before
    # anything is timed: a small cohort through the candidate path does both.
    for solve in (solve_matching, solve_fair):
        solve(3, np.array([0, 1]), np.array([1, 2]), np.array([0.5, 0.25]))
    run_matching(generate_organisation(80, SEED), MatchSettings(exact_limit=10, top_k=5))
    people = generate_organisation(n, SEED)
    # Waitlist, not triads, on odd counts: then the engine's total is a matching's total
    # and compares one to one with the baselines' on the same graph.
    settings = MatchSettings(mode=mode, odd_mode="waitlist")  # type: ignore[arg-type]
    graph: dict[str, Any] = {}

    def keep(n_nodes: int, u: np.ndarray, v: np.ndarray, w: np.ndarray) -> None:
        graph.update(n=n_nodes, u=u, v=v, w=w)

    result = run_matching(people, settings, on_graph=keep)
    out: dict[str, Any] = {
        "n": n,
        "mode": mode,
        "seconds": result.seconds,
        "timings": result.timings,
        "total": result.total_score,
        "bound": result.upper_bound,
        "gap": result.gap,
        "exact": result.exact,
        "edges": result.edges,
        "full_graph": result.full_graph,
        "blocking": result.blocking_pairs,
        "pairings": len(result.pairings),
        "unmatched": len(result.unmatched),
        "min_pair": result.quality.quantiles.get("min"),
        "median_pair": result.quality.quantiles.get("p50"),
        "peak_mib": _peak_mib(),
    }
    if graph_file:  # the solver's own graph, for the baselines
        np.savez(graph_file, **graph)
    return out


def run_baseline(kind: str, graph_file: str) -> dict[str, Any]:
    data = np.load(graph_file)
    n, u, v, w = int(data["n"]), data["u"], data["v"], data["w"]
    if kind == "rustworkx":
        import rustworkx as rx

        g = rx.PyGraph()
        g.add_nodes_from(range(n))
        # rustworkx's blossom wants integer weights.
        g.add_edges_from(
            list(zip(u.tolist(), v.tolist(), np.rint(w * 2**30).astype(int).tolist(), strict=True))
        )
        t = time.perf_counter()
        mate = rx.max_weight_matching(g, max_cardinality=True, weight_fn=int)
    else:
        import networkx as nx

        g = nx.Graph()
        g.add_nodes_from(range(n))
        g.add_weighted_edges_from(zip(u.tolist(), v.tolist(), w.tolist(), strict=True))
        t = time.perf_counter()
        mate = nx.max_weight_matching(g, maxcardinality=True)
    seconds = time.perf_counter() - t
    weight = {(int(a), int(b)): float(x) for a, b, x in zip(u, v, w, strict=True)}
    total = sum(weight.get((min(a, b), max(a, b)), 0.0) for a, b in mate)
    return {"seconds": seconds, "total": total}


def _child(args: list[str], timeout: float | None) -> dict[str, Any] | None:
    try:
        out = subprocess.run(
            [sys.executable, __file__, *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=True,
        )
    except subprocess.TimeoutExpired:
        return None
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main(sizes: list[int], fair: bool) -> None:
    rows = []
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            graph = os.path.join(tmp, "graph.npz")
            res = _child(["--engine", str(n), "default", graph], None)
            assert res is not None
            res["rustworkx"] = _child(["--baseline", "rustworkx", graph], BASELINE_SECONDS)
            res["networkx"] = (
                _child(["--baseline", "networkx", graph], BASELINE_SECONDS)
                if n <= 1000
                else "not run above 1,000"
            )
            if fair and n <= FAIR_MAX:
                res["fair"] = _child(["--engine", str(n), "fair", ""], None)
            rows.append(res)
            print(json.dumps(res), flush=True)
    print_table(rows)


def _fmt_base(res: dict[str, Any], key: str) -> str:
    base = res.get(key)
    if isinstance(base, str):
        return base
    if base is None:
        return f"skipped (> {BASELINE_SECONDS:.0f} s)"
    solve = float(res["timings"]["solve"])
    ratio = float(base["seconds"]) / max(solve, 1e-9)
    return (
        f"{float(base['seconds']):.2f} s ({ratio:.1f}x engine solve), "
        f"total {float(base['total']):.4f}"
    )


def print_table(rows: list[dict[str, Any]]) -> None:
    stages = ("features", "scores+candidates", "solve", "bound", "explanations")
    print()
    print(
        "| people | edges | " + " | ".join(stages) + " | total s | peak MiB "
        "| total score | upper bound | gap | exact | blocking |"
    )
    print("|" + "---|" * (len(stages) + 10))
    for r in rows:
        t = r["timings"]
        print(
            f"| {r['n']:,} | {r['edges']:,} | "
            + " | ".join(f"{t[s]:.2f}" for s in stages)
            + f" | {r['seconds']:.2f} | {r['peak_mib']:.0f} | {r['total']:.3f} | "
            f"{r['bound']:.3f} | {100 * float(r['gap']):.3f}% | {r['exact']} | "
            f"{r['blocking']} |"
        )
    print()
    print("| people | rustworkx on the same graph | networkx on the same graph |")
    print("|---|---|---|")
    for r in rows:
        print(f"| {r['n']:,} | {_fmt_base(r, 'rustworkx')} | {_fmt_base(r, 'networkx')} |")
    fair = [r for r in rows if r.get("fair")]
    if fair:
        print()
        print("| people | mode | total score | worst pair | median pair | seconds |")
        print("|---|---|---|---|---|---|")
        for r in fair:
            for x in (r, r["fair"]):
                print(
                    f"| {r['n']:,} | {x['mode']} | {x['total']:.3f} | "
                    f"{x['min_pair']:.3f} | {x['median_pair']:.3f} | "
                    f"{x['seconds']:.2f} |"
                )


if __name__ == "__main__":
    argv = sys.argv[1:]
    if argv and argv[0] == "--engine":
        print(json.dumps(run_engine(int(argv[1]), argv[2], argv[3])))
    elif argv and argv[0] == "--baseline":
        print(json.dumps(run_baseline(argv[1], argv[2])))
    else:
        fair_flag = "--fair" in argv
        sizes = [int(a) for a in argv if not a.startswith("--")] or [1000, 10_000, 100_000]
        main(sizes, fair_flag)
