"""Licences (证照): templates as data, input checks, rendering with annex pages, QR, JSON attachment.

    templates = TemplateSet.load(Path("templates/licences"))
    checked = check_data(templates.get("food_business"), data)     # LicenceDataError lists problems
    pdf = render_licence(content)                                   # LicenceContent: values + number...
    pdf = attach_json(pdf, licence_json(content))                  # before signing, never after
    pdf = make_archival(pdf, licence_json(content))                 # PDF/A-3 style: XMP, OutputIntent, 1.7
    pdf = archival_licence_pdf(pdf, licence_json(content))          # the two above in one parse and save
    sign_pdf(pdf, signer, seal_box=seal_box(template), ...)         # certgen.signing
"""

from certgen.licences.archival import archival_licence_pdf, make_archival, xmp_packet
from certgen.licences.attachment import ATTACHMENT_NAME, attach_json, licence_json, read_json
from certgen.licences.data import CheckedData, PermitInput, check_data, example_data, id_card_ok, uscc_check_ok
from certgen.licences.loader import TemplateSet, load_template_file, parse_template
from certgen.errors import LicenceDataError, TemplateError, UnknownTemplateError
from certgen.licences.model import FieldSpec, LicenceContent, LicenceTemplate, Permit, PermitKind
from certgen.licences.render import cn_date, render_licence, seal_box

__all__ = [
    "ATTACHMENT_NAME", "CheckedData", "archival_licence_pdf", "FieldSpec", "LicenceContent", "LicenceDataError", "LicenceTemplate",
    "Permit", "PermitInput", "PermitKind", "TemplateError", "TemplateSet", "UnknownTemplateError",
    "attach_json", "check_data", "cn_date", "example_data", "id_card_ok", "licence_json", "load_template_file",
    "make_archival", "parse_template", "read_json", "render_licence", "seal_box", "uscc_check_ok", "xmp_packet",
]
