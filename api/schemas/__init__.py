"""Response schemas of every JSON route, and the builders that turn domain views into those bodies.

The CLI prints through the same builders (``onceonly licence``, ``onceonly verify``), so a
command's JSON is the API's JSON.
"""

from api.schemas.cases import (
    CaseListOut, CaseOut, CaseWithNoticeOut, FormOut, MatterListOut, MatterOut, MetricsImportOut, MetricsOut,
    OverdueOut, case_json, form_json, notice_json,
)
from api.schemas.common import AUTH, PROBLEM_JSON, Problem, as_json, binary, dumps, problems, responses, text
from api.schemas.delivery import (
    DeliveryOut, DispatchOut, HandoverOut, ParcelListOut, ParcelOut, ScanOut, order_json,
)
from api.schemas.documents import AccessLogOut, ChecksOut, DocumentOut, DocumentPageOut, JobOut, OcrOut, UploadOut, document_json
from api.schemas.licences import (
    VERDICT_ZH, CheckOut, LicenceDraftOut, LicenceOut, LicenceTypeOut, PublicStatusOut, check_json, licence_json, public_status_json,
)
from api.schemas.operations import HealthOut, ReadyOut

__all__ = [
    "AUTH", "AccessLogOut", "CaseListOut", "CaseOut", "CaseWithNoticeOut", "CheckOut", "DeliveryOut", "DispatchOut",
    "ChecksOut", "DocumentOut", "DocumentPageOut", "FormOut", "HandoverOut", "HealthOut", "JobOut", "LicenceDraftOut", "LicenceOut",
    "LicenceTypeOut", "MatterListOut", "MatterOut", "MetricsImportOut", "MetricsOut", "OcrOut", "OverdueOut",
    "PROBLEM_JSON", "ParcelListOut", "ParcelOut", "Problem", "PublicStatusOut", "ReadyOut", "ScanOut", "UploadOut",
    "VERDICT_ZH", "as_json", "binary", "dumps", "case_json", "check_json", "document_json", "form_json", "licence_json",
    "notice_json", "order_json", "problems", "public_status_json", "responses", "text",
]
