# OnceOnly service image: slim, non-root, with a health check.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    ONCEONLY_DATA_DIR=/var/lib/onceonly \
    ONCEONLY_HOST=0.0.0.0 \
    ONCEONLY_PORT=8000

# CJK font for embedded PDF text, poppler/qpdf for PDF tools, libgl/glib for OpenCV (OCR)
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        fonts-wqy-zenhei poppler-utils qpdf libgl1 libglib2.0-0 softhsm2 opensc \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --system --create-home --home-dir /home/onceonly --uid 10001 onceonly \
    && mkdir -p /var/lib/onceonly && chown onceonly /var/lib/onceonly

WORKDIR /app
COPY pyproject.toml README.md ./
COPY api ./api
COPY intake ./intake
COPY ocr ./ocr
COPY certgen ./certgen
COPY archive ./archive
COPY standards ./standards
COPY templates ./templates
RUN pip install --no-cache-dir "./[heic]"

USER 10001
EXPOSE 8000
VOLUME ["/var/lib/onceonly"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status == 200 else 1)"]
CMD ["sh", "-c", "python -m api.cli setup && exec onceonly serve"]
