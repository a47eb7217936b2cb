"""四性检测 at ingest (DA/T 70): usability, security, integrity and authenticity of one upload.

Public face::

    limits = CheckLimits(max_pages=200, max_pixels=60_000_000, dpi=150)
    report = run_checks(data, media_type, filename=..., metadata=..., limits=limits)
    report["ok"]                      # False: refuse (DocumentUnusableError carries the reason)

Every check here opens the bytes with a real parser (Pillow, pikepdf, pypdfium2); nothing is
executed, nothing is written. The report is plain JSON, stored as the derived file ``checks``.
"""

from archive.checks.limits import CheckLimits
from archive.checks.report import CHECKS_KIND, metadata_section, run_checks, summary
from archive.checks.usability import Usability, check_usable

__all__ = ["CHECKS_KIND", "CheckLimits", "Usability", "check_usable", "metadata_section", "run_checks", "summary"]
