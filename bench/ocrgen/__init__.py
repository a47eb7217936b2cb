"""Evaluation-set generator for the OCR pipeline: realistic Chinese documents with ground truth.

``python -m bench.ocrgen OUTDIR`` renders every document type in several CJK fonts, at 100, 150
and 300 dpi, clean and degraded (skew, 90°/180° rotation, blur, JPEG q30, 3 % salt-and-pepper,
perspective photo with uneven light), and writes ``truth.jsonl`` beside the images.
"""
