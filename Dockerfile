# The simulator as a CI service: `sferum-sim serve` on port 8780, health at /_sim/v1/health.
#   docker build -t sferum-sim .            (or: podman build -t sferum-sim .)
#   docker run --rm -p 8780:8780 sferum-sim
# `sferum-sim conformance` for a vendor's journal, with Chromium (docs/vendors.md):
#   docker build --target conformance -t sferum-sim-conformance .
#   docker run --rm --network host sferum-sim-conformance conformance --journal-url … --client-id … --redirect-uri …
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS wheel
WORKDIR /src
COPY pyproject.toml README.md LICENSE ./
COPY simulator ./simulator
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /wheels .

FROM ${PYTHON_IMAGE} AS conformance
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
# The command runs the harness, so it starts only with every requirement of the package installed (the
# wheel with its dependencies); `tls` lets its Chromium reach https://id.vk.com at the simulator too.
ARG CONFORMANCE_EXTRAS="tls"
# Debian's Chromium rather than `playwright install`, whose download many CI networks block: a headless run
# finds the headless shell at /usr/lib/chromium (simulator/testing/browser.py). DejaVu draws the Cyrillic of
# the reports' screenshots; Playwright's own Node driver needs libatomic, which the slim base leaves out.
ARG CONFORMANCE_APT_PACKAGES="chromium-headless-shell fonts-dejavu-core libatomic1"
COPY --from=wheel /wheels /wheels
RUN apt-get update \
    && apt-get install --yes --no-install-recommends ${CONFORMANCE_APT_PACKAGES} \
    && rm -rf /var/lib/apt/lists/* \
    && pip install "$(ls /wheels/sferum_sim-*.whl)[${CONFORMANCE_EXTRAS}]" \
    && rm -rf /wheels \
    && useradd --create-home --uid 10001 --shell /usr/sbin/nologin sim
USER sim
# The reports go to ./conformance-report unless --report-dir says otherwise: mount a directory here for them.
WORKDIR /home/sim
ENTRYPOINT ["sferum-sim"]
CMD ["conformance", "--help"]

# The default target, last: the server alone.
FROM ${PYTHON_IMAGE} AS serve
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
