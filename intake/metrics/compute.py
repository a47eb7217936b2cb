"""Reform metrics (改革指标) from case records — a pure computation.

For the cases received in a period (optionally one department or matter):

* 即办件 count and share; 承诺件 count;
* 提前办结 count and 提前办结率 = 承诺件 finished in fewer working days than committed / 承诺件;
* 平均办理时限 = Σ actual working days / number of finished 承诺件;
* 实际提速率 = 1 − Σ actual days / Σ committed days, over finished 承诺件;
* 零次跑率 = cases with zero visits / all cases;
* 材料免提交率 and materials reused per case (``reuse_kpi``), overall, per matter and per month;
* per matter (from the catalog): 材料瘦身率 = 1 − materials now / before, 时限压缩率 = 1 − committed / statutory.

Rates are fractions here; :func:`percent` shows them with two decimals.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from intake.metrics.reuse_kpi import ReuseFigures, ReuseMonth, reuse_by_month, reuse_figures

__all__ = ["CaseRecord", "MatterFigures", "Metrics", "compute", "percent"]


@dataclass(frozen=True)
class CaseRecord:
    """One case as the metrics see it (from the database or a CSV export)."""

    case_id: str
    matter: str
    department: str
    received_at: dt.datetime
    completed_at: dt.datetime | None
    kind: Literal["immediate", "promised"]
    committed_days: int
    actual_days: int | None
    visits: int
    materials_reused: int | None = None
    """Materials satisfied from the archive (None: not known, e.g. a CSV export)."""
    materials_satisfied: int | None = None
    """Materials satisfied at all (reused or handed in)."""


@dataclass(frozen=True)
class MatterFigures:
    matter: str
    name: str
    materials_before: int | None
    materials_now: int | None
    material_reduction: float | None
    statutory_days: int | None
    committed_days: int | None
    time_compression: float | None


@dataclass(frozen=True)
class Metrics:
    period_from: dt.date | None
    period_to: dt.date | None
    department: str | None
    matter: str | None
    total: int
    immediate: int
    immediate_share: float | None
    promised: int
    promised_finished: int
    early: int
    early_rate: float | None
    average_days: float | None
    speedup_rate: float | None
    zero_visit: int
    zero_visit_rate: float | None
    matters: tuple[MatterFigures, ...] = field(default=())
    reuse: ReuseFigures | None = None
    """材料免提交率 and materials reused per case, over the cases whose materials are known."""
    reuse_by_matter: tuple[ReuseFigures, ...] = field(default=())
    reuse_by_month: tuple[ReuseMonth, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: dates as ISO strings, rates as percentages with two decimals (``"12.50%"``)."""
        out = asdict(self)
        for key in ("immediate_share", "early_rate", "speedup_rate", "zero_visit_rate"):
            out[key] = percent(out[key])
        out["average_days"] = None if self.average_days is None else f"{self.average_days:.2f}"
        for figures in out["matters"]:
            figures["material_reduction"] = percent(figures["material_reduction"])
            figures["time_compression"] = percent(figures["time_compression"])
        for figures in ([out["reuse"]] if out["reuse"] else []) + list(out["reuse_by_matter"]) + list(out["reuse_by_month"]):
            figures["no_copy_rate"] = percent(figures["no_copy_rate"])
            rate = figures["reused_per_case"]
            figures["reused_per_case"] = None if rate is None else f"{rate:.2f}"
        for key in ("period_from", "period_to"):
            out[key] = out[key].isoformat() if out[key] else None
        return out


def percent(value: float | None) -> str | None:
    return None if value is None else f"{value * 100:.2f}%"


def _ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None


def compute(
    records: Iterable[CaseRecord],
    *,
    period_from: dt.date | None = None,
    period_to: dt.date | None = None,
    department: str | None = None,
    matter: str | None = None,
    matters: Iterable[MatterFigures] = (),
) -> Metrics:
    """Figures over the records received in ``[period_from, period_to]`` (both inclusive)."""
    chosen = [
        r for r in records
        if (period_from is None or r.received_at.date() >= period_from)
        and (period_to is None or r.received_at.date() <= period_to)
        and (department is None or r.department == department)
        and (matter is None or r.matter == matter)
    ]
    total = len(chosen)
    immediate = sum(1 for r in chosen if r.kind == "immediate")
    promised = [r for r in chosen if r.kind == "promised"]
    finished = [r for r in promised if r.actual_days is not None]
    early = sum(1 for r in finished if r.actual_days is not None and r.actual_days < r.committed_days)
    actual_sum = sum(r.actual_days or 0 for r in finished)
    committed_sum = sum(r.committed_days for r in finished)
    zero = sum(1 for r in chosen if r.visits == 0)
    used = {r.matter for r in chosen}
    reuse, reuse_by_matter = reuse_figures(chosen)
    return Metrics(
        period_from=period_from, period_to=period_to, department=department, matter=matter,
        total=total, immediate=immediate, immediate_share=_ratio(immediate, total),
        promised=len(promised), promised_finished=len(finished), early=early,
        early_rate=_ratio(early, len(promised)),
        average_days=_ratio(actual_sum, len(finished)),
        speedup_rate=None if not committed_sum else 1 - actual_sum / committed_sum,
        zero_visit=zero, zero_visit_rate=_ratio(zero, total),
        matters=tuple(m for m in matters if m.matter in used),
        reuse=reuse if reuse.cases else None, reuse_by_matter=reuse_by_matter, reuse_by_month=reuse_by_month(chosen),
    )
