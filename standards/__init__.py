"""The bottom package: pure standard algorithms every other package may use; imports nothing of ours.

Check characters of GB 11643 (身份证号), GB 32100 (统一社会信用代码), GB 11714 (组织机构代码),
ISO 7064 MOD 37,36 (GB/T 36904 证照标识) and UPU S10 (EMS item numbers); content sniffing by magic
bytes; the China time zone and naive-to-UTC; the shipped templates folder; text wrapping; the one lock
every pdfium call in a process takes (`standards.pdfium`: pdfium is not thread-safe).
"""

from standards.clock import CHINA_TZ, as_utc, aware
from standards.shipped import TEMPLATES_DIR

__all__ = ["CHINA_TZ", "TEMPLATES_DIR", "as_utc", "aware"]
