# The simulator as a CI service: `sferum-sim serve` on port 8780, health at /_sim/v1/health.
#   docker build -t sferum-sim .            (or: podman build -t sferum-sim .)
#   docker run --rm -p 8780:8780 sferum-sim
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS wheel
WORKDIR /src
COPY pyproject.toml README.md LICENSE ./
COPY simulator ./simulator
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /wheels .

FROM ${PYTHON_IMAGE}
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
# The server needs only these; the package's other dependencies (Playwright, pytest, the BDD harness) are
# the test runner's, which runs elsewhere: leaving them out keeps the image small.
ARG SERVER_DEPENDENCIES="aiohttp>=3.10 jinja2>=3.1 openpyxl>=3.1"
COPY --from=wheel /wheels /wheels
RUN pip install --no-deps /wheels/*.whl \
    && pip install ${SERVER_DEPENDENCIES} \
    && rm -rf /wheels \
    && useradd --create-home --uid 10001 --shell /usr/sbin/nologin sim
USER sim
WORKDIR /home/sim
EXPOSE 8780
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8780/_sim/v1/health', timeout=2)"]
ENTRYPOINT ["sferum-sim"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8780"]
