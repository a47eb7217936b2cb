"""Courier labels (快递面单): PDF for office printers, ZPL for thermal printers, and masking."""

from certgen.errors import LabelDataError, LabelError, LabelLayoutError, LabelSizeError
from certgen.labels.layout import SIZES, Layout, load_layout
from certgen.labels.masking import address_district, mask_address, mask_name, mask_phone
from certgen.labels.model import EXAMPLE, LabelData, MaskedRecipient, Party
from certgen.labels.pdf import render_label_pdf, render_labels_pdf
from certgen.labels.zpl import ZplOptions, render_label_zpl, render_labels_zpl

__all__ = [
    "EXAMPLE",
    "SIZES",
    "LabelData",
    "LabelDataError",
    "LabelError",
    "LabelLayoutError",
    "LabelSizeError",
    "Layout",
    "MaskedRecipient",
    "Party",
    "ZplOptions",
    "address_district",
    "load_layout",
    "mask_address",
    "mask_name",
    "mask_phone",
    "render_label_pdf",
    "render_label_zpl",
    "render_labels_pdf",
    "render_labels_zpl",
]
