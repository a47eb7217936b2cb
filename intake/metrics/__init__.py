"""Reform metrics (即办件率, 提前办结率, 平均办理时限, 提速率, 零次跑率, 材料瘦身率, 时限压缩率)."""

from intake.metrics.compute import CaseRecord, MatterFigures, Metrics, compute, percent
from intake.metrics.csv_import import COLUMNS, ImportResult, RowError, decode_csv, parse_cases_csv
from intake.metrics.service import MetricsService, matter_figures, metrics_from_csv

__all__ = [
    "COLUMNS",
    "CaseRecord",
    "ImportResult",
    "MatterFigures",
    "Metrics",
    "MetricsService",
    "RowError",
    "compute",
    "decode_csv",
    "matter_figures",
    "parse_cases_csv",
    "metrics_from_csv",
    "percent",
]
