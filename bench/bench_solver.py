"""Benchmark of the matching solver on 20-best-candidate graphs.

Run: .venv/bin/python bench/bench_solver.py [--sizes 1000,10000,100000] [--repeat 3]

For each size it builds a realistic-ish candidate graph (random clustered feature
vectors, weight = similarity, each person keeps their 20 best candidates; cached under
the system temp directory) and prints one table:

* ours: first call in a fresh process (JIT code loaded from numba's on-disk cache),
  then the median of warm calls, peak memory (RSS of that process), total, certified
  upper bound over ALL allowed pairs (hidden ones via outside_bound) and the gap;
* greedy: heaviest-edge-first, its total and gap to our bound;
* rustworkx max_weight_matching (max_cardinality=True) with a time limit, its total
  and the time ratio ours/rustworkx; networkx only at 1,000.

Every measurement runs in a child process, so timings and memory do not leak into
each other. A separate line reports the one-off compile time with an empty JIT cache.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))  # the test graphs live under tests/

CACHE = Path(tempfile.gettempdir()) / "peermentor-bench-solver"


def graph_file(n: int, seed: int) -> Path:
    path = CACHE / f"cand-{n}-{seed}.npz"
    if not path.exists():
        from tests.unit.matching.solver_testgraphs import candidate_graph

        CACHE.mkdir(parents=True, exist_ok=True)
        u, v, w, ob = candidate_graph(n, k=20, seed=seed)
        np.savez(path, u=u, v=v, w=w, ob=ob)
    return path


def load(path: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    z = np.load(path)
    return z["u"], z["v"], z["w"], z["ob"]


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def child(args: argparse.Namespace) -> None:
    """Measure one thing in this fresh process and print it as JSON."""
    u, v, w, ob = load(args.graph)
    n = args.n
    out: dict[str, object] = {}
    if args.child == "ours":
        from peermentor.matching.solver import solve_matching

        times = []
        for _ in range(args.repeat + 1):
            t = time.perf_counter()
            res = solve_matching(n, u, v, w, outside_bound=ob)
            times.append(time.perf_counter() - t)
        out = {
            "first": times[0],
            "warm": statistics.median(times[1:]),
            "total": res.total,
            "bound": res.upper_bound,
            "exact": res.exact,
            "card": res.cardinality,
            "peak_mib": peak_mib(),
        }
    elif args.child == "greedy":
        from peermentor.matching.solver import greedy_matching

        t = time.perf_counter()
        res = greedy_matching(n, u, v, w)
        out = {"time": time.perf_counter() - t, "total": res.total, "card": res.cardinality}
    elif args.child == "rustworkx":
        import rustworkx as rx

        g = rx.PyGraph()
        g.add_nodes_from(range(n))
        g.add_edges_from(
            list(
                zip(
                    u.tolist(),
                    v.tolist(),
                    np.rint(w * 2**30).astype(np.int64).tolist(),
                    strict=True,
                )
            )
        )
        t = time.perf_counter()
        pairs = rx.max_weight_matching(g, max_cardinality=True, weight_fn=lambda x: x)
        elapsed = time.perf_counter() - t
        weight = dict(zip(zip(u.tolist(), v.tolist(), strict=True), w.tolist(), strict=True))
        total = sum(weight.get((a, b), weight.get((b, a), 0.0)) for a, b in pairs)
        out = {"time": elapsed, "total": total, "card": len(pairs)}
    elif args.child == "networkx":
        import networkx as nx

        g = nx.Graph()
        g.add_weighted_edges_from(zip(u.tolist(), v.tolist(), w.tolist(), strict=True))
        t = time.perf_counter()
        pairs = nx.max_weight_matching(g, maxcardinality=True)
        elapsed = time.perf_counter() - t
        out = {
            "time": elapsed,
            "total": sum(g[a][b]["weight"] for a, b in pairs),
            "card": len(pairs),
        }
    print(json.dumps(out))


def run_child(
    kind: str, n: int, graph: Path, repeat: int, timeout: float, env: dict[str, str] | None = None
) -> dict[str, object] | None:
    cmd = [
        sys.executable,
        __file__,
        "--child",
        kind,
        "--n",
        str(n),
        "--graph",
        str(graph),
        "--repeat",
        str(repeat),
    ]
    try:
        done = subprocess.run(
            cmd, capture_output=True, text=True, timeout=timeout, check=True, env=env
        )
    except subprocess.TimeoutExpired:
        return None
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def compile_seconds() -> float:
    """One-off cost: precompile() in a process whose JIT cache directory is empty."""
    with tempfile.TemporaryDirectory() as empty:
        env = dict(os.environ, NUMBA_CACHE_DIR=empty)
        code = (
            "import time; t = time.perf_counter();"
            "from peermentor.matching.solver import precompile; precompile();"
            "print(time.perf_counter() - t)"
        )
        env["PYTHONPATH"] = str(ROOT / "src")
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
        )
        return float(out.stdout.strip())


def fmt(x: object, spec: str) -> str:
    width = "".join(ch for ch in spec if ch.isdigit() or ch == ".").split(".")[0]
    return format("-", f">{width or 1}") if x is None else format(x, spec)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=3, help="warm runs (median)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--rx-timeout", type=float, default=120.0, help="seconds before rustworkx is given up"
    )
    parser.add_argument(
        "--rx-max-n",
        type=int,
        default=20_000,
        help="skip rustworkx above this size (it needs minutes)",
    )
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--graph", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    sizes = [int(s) for s in args.sizes.split(",") if s]
    header = (
        f"{'n':>7} {'edges':>9} | {'ours 1st':>8} {'warm':>6} {'peak MiB':>8} "
        f"{'total':>11} {'bound':>11} {'gap %':>7} {'exact':>5} | "
        f"{'greedy':>11} {'gap %':>6} | {'rustworkx':>9} {'rx total':>11} "
        f"{'ours/rx':>7} | {'networkx':>8}"
    )
    print(header)
    print("-" * len(header))
    notes = []
    for n in sizes:
        path = graph_file(n, args.seed)
        m = int(np.load(path)["u"].shape[0])
        ours = run_child("ours", n, path, args.repeat, 3600.0) or {}
        greedy = run_child("greedy", n, path, 1, 600.0) or {}
        bound = float(ours["bound"])  # type: ignore[arg-type]
        total = float(ours["total"])  # type: ignore[arg-type]
        rx_res = None
        if n <= args.rx_max_n:
            rx_res = run_child("rustworkx", n, path, 1, args.rx_timeout)
            if rx_res is None:
                notes.append(f"rustworkx did not finish within {args.rx_timeout:.0f} s at {n}")
        else:
            notes.append(f"rustworkx skipped at {n} (above --rx-max-n; minutes per run)")
        nx_res = run_child("networkx", n, path, 1, 600.0) if n <= 1000 else None
        g_total = float(greedy["total"])  # type: ignore[arg-type]
        rx_time = None if rx_res is None else float(rx_res["time"])  # type: ignore[arg-type]
        rx_total = None if rx_res is None else float(rx_res["total"])  # type: ignore[arg-type]
        ratio = None if rx_time is None else float(ours["warm"]) / rx_time  # type: ignore[arg-type]
        nx_time = None if nx_res is None else float(nx_res["time"])  # type: ignore[arg-type]
        if rx_total is not None and abs(rx_total - total) > 1e-9 * max(1.0, total):
            notes.append(f"total differs from rustworkx at {n}: {total!r} vs {rx_total!r}")
        print(
            f"{n:>7} {m:>9} | {float(ours['first']):>8.2f} "  # type: ignore[arg-type]
            f"{float(ours['warm']):>6.2f} {float(ours['peak_mib']):>8.0f} "  # type: ignore[arg-type]
            f"{total:>11.3f} {bound:>11.3f} {100 * (bound - total) / bound:>7.4f} "
            f"{ours['exact']!s:>5} | {g_total:>11.3f} "
            f"{100 * (bound - g_total) / bound:>6.2f} | {fmt(rx_time, '>9.2f')} "
            f"{fmt(rx_total, '>11.3f')} {fmt(ratio, '>7.3f')} | {fmt(nx_time, '>8.2f')}"
        )
    print()
    print(f"one-off JIT compile (empty numba cache, precompile()): {compile_seconds():.1f} s")
    print(
        "ours 1st = first call in a fresh process (JIT code from the on-disk cache); "
        "warm = median of the next runs; gap = (bound - total) / bound, bound covers "
        "hidden pairs through outside_bound"
    )
    for note in notes:
        print("note:", note)


if __name__ == "__main__":
    main()
