"""Notebook helpers for passk: read the Parquet the jobs write, without pyarrow.

Debian packages no pyarrow (and PyPI may be out of reach), so the notebooks read Parquet
through the project's own jar: JPype starts one JVM in the kernel with the same classpath
and JVM flags as ``bin/passk``, Spark runs embedded in local mode
(``io.passk.spark.SparkSessions.forJob``), and rows come back to Python as JSON lines that
are turned into a ``pandas.DataFrame`` using the Spark schema (numeric arrays become numpy
arrays, NaN/Infinity survive). The same Spark session runs the project's stages, e.g.
``io.passk.advantage.spark.PassAtKAdvantage`` to compute advantages that rollouts do not store.

Needs the built project: ``jobs/target/passk-jobs.jar`` and ``jobs/target/launcher.classpath``
(``mvn -q -DskipTests package``, or any ``bin/passk`` command, builds them).

Environment: ``PASSK_HOME`` (repository root; default: the parent of this folder),
``PASSK_XMX`` (JVM heap, default 4g), ``PASSK_JAVA_OPTS`` (extra JVM options, appended last).
"""
from __future__ import annotations

import atexit
import glob
import json
import math
import os
import re
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

HOME = Path(os.environ.get("PASSK_HOME", Path(__file__).resolve().parent.parent))

# A sample is correct iff reward >= CORRECT_REWARD: io.passk.estimate.Correctness.THRESHOLD
# (a jobs test keeps the two equal).
CORRECT_REWARD = 1.0


def is_correct(reward):
    """``reward >= 1`` (the project's one rule, io.passk.estimate.Correctness); works on a
    number, a numpy array or a pandas Series."""
    return reward >= CORRECT_REWARD


def jvm_options(home: Path = HOME) -> list[str]:
    """The JVM flags Spark 4 needs on Java 17: ``bin/jvm.options``, the one list that
    ``bin/passk`` and the Maven build read too (one flag per line, ``#`` comment lines)."""
    lines = (line.strip() for line in (home / "bin" / "jvm.options").read_text().splitlines())
    return [line for line in lines if line and not line.startswith("#")]


_spark = None


def classpath(home: Path = HOME) -> list[str]:
    """The launcher's classpath: the jobs jar (or its classes) plus every dependency jar."""
    target = home / "jobs" / "target"
    cp_file = target / "launcher.classpath"
    jar = target / "passk-jobs.jar"
    if not cp_file.is_file() or not (jar.is_file() or (target / "classes").is_dir()):
        raise RuntimeError(f"passk is not built under {home}: run `mvn -q -DskipTests package` there "
                           f"(or any bin/passk command), then restart the kernel")
    head = [str(jar)] if jar.is_file() else [str(target / "classes")]
    return head + [p for p in cp_file.read_text().strip().split(os.pathsep) if p] + _jpype_support_jar()


def _jpype_support_jar() -> list[str]:
    # JPype's own Java half (org.jpype.jar). pip wheels ship it next to the module and JPype
    # finds it; Debian installs it under /usr/share/java, which JPype 1.4 does not search.
    import jpype
    here = Path(jpype.__file__).resolve().parent
    for cand in (here.parent / "org.jpype.jar", here / "org.jpype.jar", Path("/usr/share/java/org.jpype.jar")):
        if cand.is_file():
            return [str(cand)]
    return []


def jvm():
    """Starts the JVM once per kernel (JPype cannot restart it) and returns the jpype module."""
    import jpype
    import jpype.imports  # noqa: F401  (enables `from io.passk... import ...` style access)
    if not jpype.isJVMStarted():
        # C1 only: a notebook JVM runs many small Spark queries once each, where C2 compile time
        # dominates (measured: about half the CPU to start Spark and read a run). For heavy
        # analyses put -XX:TieredStopAtLevel=4 in PASSK_JAVA_OPTS (the later flag wins).
        opts = ["-Xmx" + os.environ.get("PASSK_XMX", "4g"), "-XX:TieredStopAtLevel=1", *jvm_options(),
                "-Dai.djl.offline=true", "-Djava.awt.headless=true", *os.environ.get("PASSK_JAVA_OPTS", "").split()]
        jpype.startJVM(*opts, classpath=classpath(), convertStrings=True)
    return jpype


def spark():
    """The embedded local SparkSession (created on first use, shared by every helper)."""
    global _spark
    if _spark is None:
        jpype = jvm()
        sessions = jpype.JClass("io.passk.spark.SparkSessions")
        _spark = sessions.forJob("passk-notebook", False)
        atexit.register(_stop)
    return _spark


def _stop():
    # Stop Spark before JPype shuts the JVM down, so Hadoop's shutdown hooks have nothing to do.
    global _spark
    if _spark is not None:
        _spark.stop()
        _spark = None


def read(path, fmt: str = "parquet"):
    """A Spark ``Dataset<Row>`` (a Java object) for Parquet / json / csv at ``path``."""
    reader = spark().read()
    if fmt == "csv":
        reader = reader.option("header", "true").option("inferSchema", "true")
    return reader.format(fmt).load(str(path))


# ---------------------------------------------------------------- Spark -> pandas

def _float(v):
    # Spark's JSON writer quotes non-finite doubles ("NaN", "Infinity", "-Infinity").
    return math.nan if v is None else float(v)


def _converter(data_type):
    name = data_type.typeName()
    if name in ("float", "double"):
        return _float
    if name == "array":
        elem = data_type.elementType().typeName()
        if elem in ("float", "double"):
            return lambda v: None if v is None else np.asarray([_float(x) for x in v], dtype=np.float64)
        if elem in ("integer", "long", "short", "byte"):
            return lambda v: None if v is None else np.asarray(v, dtype=np.int64)
    return None


def to_pandas(ds, limit: int | None = None) -> pd.DataFrame:
    """Collects a Spark Dataset to pandas (for the small slices a notebook looks at)."""
    jpype = jvm()
    if limit is not None:
        ds = ds.limit(int(limit))
    fields = list(ds.schema().fields())
    names = [str(f.name()) for f in fields]
    rows = ds.toJSON().collectAsList()
    text = str(jpype.JClass("java.lang.String").join("\n", rows))
    records = [json.loads(line) for line in text.split("\n") if line]
    columns = {}
    for f, name in zip(fields, names):
        conv = _converter(f.dataType())
        values = [r.get(name) for r in records]
        columns[name] = [conv(v) for v in values] if conv is not None else values
    out = pd.DataFrame(columns, columns=names)
    for f, name in zip(fields, names):
        t = f.dataType().typeName()
        if t in ("integer", "long", "short", "byte") and not out[name].isna().any():
            out[name] = out[name].astype(np.int64)
        elif t in ("float", "double"):
            out[name] = out[name].astype(np.float64)
        elif t == "boolean" and not out[name].isna().any():
            out[name] = out[name].astype(bool)
    return out


def read_parquet(path, columns: Sequence[str] | None = None, where: str | None = None,
                 limit: int | None = None) -> pd.DataFrame:
    """Reads Parquet (a file or a Spark output folder) into pandas through Spark.

    ``columns`` selects columns, ``where`` is a Spark SQL filter, ``limit`` caps the rows.
    """
    ds = read(path)
    if where:
        ds = ds.where(where)
    if columns:
        ds = ds.selectExpr(*columns)
    return to_pandas(ds, limit)


# ---------------------------------------------------------------- run directories

def run_info(run) -> dict:
    """RUN/run.json as a dict (method, k, seed, config, provenance)."""
    return json.loads((Path(run) / "run.json").read_text())


def read_per_problem(path) -> pd.DataFrame:
    """Reads a ``passk eval`` ``per_problem/`` folder in long form.

    On disk it is wide, one row per problem: the group columns, ``problem_id``, ``n``, ``c``,
    then ``pass_at_<k>``, ``pass_hat_<k>``, ``max_at_<k>`` for each k (null where n < k). This
    returns one row per problem and k with n >= k: the group columns, ``problem_id``, ``k``,
    ``n``, ``c``, ``pass_at_k``, ``pass_hat_k``, ``max_at_k``.
    """
    wide = read_parquet(path)
    est = re.compile(r"(pass_at|pass_hat|max_at)_(\d+)")
    ks = sorted({int(m.group(2)) for m in map(est.fullmatch, wide.columns) if m})
    keys = [c for c in wide.columns if not est.fullmatch(c) and c not in ("n", "c")]
    parts = []
    for k in ks:
        has = wide[f"pass_at_{k}"].notna()
        p = wide.loc[has, keys].copy()
        p["k"] = k
        p["n"] = wide.loc[has, "n"]
        p["c"] = wide.loc[has, "c"]
        for m in ("pass_at", "pass_hat", "max_at"):
            p[f"{m}_k"] = wide.loc[has, f"{m}_{k}"]
        parts.append(p)
    cols = keys + ["k", "n", "c", "pass_at_k", "pass_hat_k", "max_at_k"]
    return pd.concat(parts, ignore_index=True)[cols] if parts else pd.DataFrame(columns=cols)


def _epochs_under(folder: Path) -> list[int]:
    out = []
    for d in glob.glob(str(folder / "epoch=*")):
        m = re.fullmatch(r"epoch=(-?\d+)", Path(d).name)
        if m:
            out.append(int(m.group(1)))
    return sorted(out)


def last_complete_epoch(run) -> int | None:
    """The last complete epoch of a run: the last one whose checkpoint exists (None before any)."""
    done = _epochs_under(Path(run) / "checkpoints")
    return done[-1] if done else None


def epochs(run, kind: str = "rollouts") -> list[int]:
    """Complete epochs under RUN/rollouts (``kind="heldout"``: complete held-out evaluations).

    The rule is ``io.passk.run.RunDirectory``'s, which owns it (``completeRolloutEpochs``,
    ``completeHeldoutEpochs``); this is the same rule without a JVM. Epoch t is complete when
    ``checkpoints/epoch=t`` exists: that rename is the epoch's last step, whereas a killed epoch
    can leave a finished ``rollouts/epoch=t`` (with ``_SUCCESS``) behind. The held-out evaluation of
    the initial policy (epoch -1) is complete once its ``curve.csv`` exists.
    """
    run = Path(run)
    last = last_complete_epoch(run)
    last = -1 if last is None else last
    if kind == "heldout":
        return [e for e in _epochs_under(run / "heldout")
                if ((run / "heldout" / "epoch=-1" / "curve.csv").is_file() if e == -1 else 0 <= e <= last)]
    return [e for e in _epochs_under(run / kind) if 0 <= e <= last]


def rollouts_path(run, epoch: int, heldout: bool = False) -> Path:
    return Path(run) / "heldout" / f"epoch={epoch}" / "rollouts" if heldout \
        else Path(run) / "rollouts" / f"epoch={epoch}"


def rollouts(run, epoch: int | None = None, heldout: bool = False, where: str | None = None) -> pd.DataFrame:
    """Rollout rows of one epoch (default: the last complete one) with an ``epoch`` column."""
    done = epochs(run, "heldout" if heldout else "rollouts")
    if not done:
        raise RuntimeError(f"{run}: no complete {'held-out ' if heldout else ''}rollout epoch")
    epoch = done[-1] if epoch is None else epoch
    df = read_parquet(rollouts_path(run, epoch, heldout), where=where)
    df.insert(0, "epoch", epoch)
    return df.sort_values(["problem_id", "sample_idx"]).reset_index(drop=True)


def with_advantages(ds, methods: dict, seed: int = 0, epoch: int = 0, group_col: str = "problem_id"):
    """Adds one advantage column per entry of ``methods`` ({column: (method, k)}) with the
    project's Spark stage ``PassAtKAdvantage`` and returns the Spark Dataset."""
    stage_cls = jvm().JClass("io.passk.advantage.spark.PassAtKAdvantage")
    for column, (method, k) in methods.items():
        stage = stage_cls().setMethod(method).setK(int(k)).setOutputCol(column).setGroupCol(group_col) \
            .setSeed(int(seed)).setEpoch(int(epoch))
        ds = stage.transform(ds)
    return ds


def rollouts_with_advantages(run, epoch: int | None = None, k: int | None = None, heldout: bool = False,
                             methods: Iterable[str] = ("pass1", "passk-analytic")) -> pd.DataFrame:
    """Rollouts of one epoch plus ``adv_<method>`` columns computed for the same groups.

    ``k`` defaults to the run's k (pass1 always uses k=1); a method that needs ``k <= n`` is
    computed with ``min(k, n)`` where n is the smallest group.
    """
    info = run_info(run)
    done = epochs(run, "heldout" if heldout else "rollouts")
    if epoch is None and not done:
        raise RuntimeError(f"{run}: no complete {'held-out ' if heldout else ''}rollout epoch")
    epoch = done[-1] if epoch is None else epoch
    ds = read(rollouts_path(run, epoch, heldout))
    n_min = int(ds.groupBy("problem_id").count().agg(
        jvm().JClass("org.apache.spark.sql.functions").min("count")).first().getLong(0))
    k = min(int(k or info.get("k", 4)), n_min)
    spec = {"adv_" + m: (m, 1 if m == "pass1" else k) for m in methods}
    df = to_pandas(with_advantages(ds, spec, seed=info.get("seed", 0), epoch=max(epoch, 0)))
    df.insert(0, "epoch", epoch)
    df.attrs["k"] = k
    return df.sort_values(["problem_id", "sample_idx"]).reset_index(drop=True)


def find_runs(root="runs") -> list[Path]:
    """Run directories (those with run.json and metrics.csv) under ``root``, oldest first."""
    found = [Path(p).parent for p in glob.glob(str(Path(root) / "*" / "metrics.csv"))
             if (Path(p).parent / "run.json").is_file()]
    return sorted(found, key=lambda p: p.stat().st_mtime)


def env_paths(var: str, default: Sequence[Path | str]) -> list[Path]:
    """Paths from an environment variable (separated by ``os.pathsep`` or commas)."""
    raw = os.environ.get(var)
    if not raw:
        return [Path(p) for p in default]
    return [Path(p) for p in raw.replace(",", os.pathsep).split(os.pathsep) if p]


# ---------------------------------------------------------------- mazes

MOVES = {"U": (-1, 0), "D": (1, 0), "L": (0, -1), "R": (0, 1)}


def parse_maze(prompt: str) -> list[str]:
    """The grid rows of a maze prompt (``#`` wall, ``.`` open, ``S``, ``E``)."""
    rows = [r for r in prompt.strip().split("\n") if r and set(r) <= set("#.SE")]
    if not rows or any(len(r) != len(rows[0]) for r in rows):
        raise ValueError("not a maze prompt: " + repr(prompt[:60]))
    return rows


def _find(grid, ch):
    for r, row in enumerate(grid):
        c = row.find(ch)
        if c >= 0:
            return r, c
    raise ValueError("maze without " + ch)


def walk(grid: list[str], response: str):
    """Walks ``response`` from S like the maze verifier (``io.passk.task.maze.Maze.walk``):
    stops at the first character that is not a legal move and at the first arrival on E.

    Returns (cells visited from S, solved) where solved means every character was a legal
    move and the last one arrived on E.
    """
    pos, end = _find(grid, "S"), _find(grid, "E")
    path = [pos]
    consumed = 0
    for ch in response.strip():
        if ch not in MOVES:
            break
        dr, dc = MOVES[ch]
        r, c = pos[0] + dr, pos[1] + dc
        if not (0 <= r < len(grid) and 0 <= c < len(grid[0])) or grid[r][c] == "#":
            break
        pos = (r, c)
        path.append(pos)
        consumed += 1
        if pos == end:
            break
    return path, pos == end and consumed == len(response.strip())


def draw_maze(ax, prompt: str, responses: Sequence[str] = (), rewards: Sequence[float] | None = None,
              title: str | None = None, max_paths: int = 16):
    """Draws the maze as an image with the sampled move strings as paths over it.

    Correct samples (``is_correct(reward)``) are green, others red, fanned out slightly so that
    identical moves stay visible; a dot marks where each walk stopped.
    """
    import matplotlib.colors as mcolors
    grid = parse_maze(prompt)
    img = np.array([[0 if ch == "#" else 1 for ch in row] for row in grid])
    ax.imshow(img, cmap=mcolors.ListedColormap(["#2b2b2b", "#f4f1e8"]), interpolation="nearest")
    for ch, color in (("S", "#1f77b4"), ("E", "#ff7f0e")):
        r, c = _find(grid, ch)
        ax.add_patch(__import__("matplotlib").patches.Rectangle((c - .5, r - .5), 1, 1, color=color, alpha=.55))
        ax.text(c, r, ch, ha="center", va="center", fontsize=9, fontweight="bold")
    shown = list(responses)[:max_paths]
    for i, resp in enumerate(shown):
        path, solved = walk(grid, resp or "")
        reward = rewards[i] if rewards is not None else (1.0 if solved else 0.0)
        off = (i - (len(shown) - 1) / 2) * (0.5 / max(len(shown), 1))
        ys = [p[0] + off for p in path]
        xs = [p[1] + off for p in path]
        color = "#2ca02c" if is_correct(reward) else "#d62728"
        ax.plot(xs, ys, "-", color=color, lw=1.6, alpha=.75)
        ax.plot(xs[-1], ys[-1], "o", color=color, ms=4)
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title, fontsize=9)
    return ax
