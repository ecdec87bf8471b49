"""A self-signed certificate made at start, so https://id.vk.com can be answered on the loopback.

Needs the `cryptography` package (the `tls` extra). Nothing is written outside a private temp dir,
and a new key is made every run: no private key is ever shipped with the package.
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import ssl
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from .hosts import ALL_HOST_NAMES


def available() -> bool:
    """Whether the `tls` extra is installed."""
    try:
        import cryptography  # noqa: F401
    except ImportError:
        return False
    return True


@dataclass(frozen=True)
class Certificate:
    context: ssl.SSLContext
    spki: str  # base64 SHA-256 of the public key, for Chromium's --ignore-certificate-errors-spki-list
    cert_file: Path  # PEM, for clients that want to trust it (httpx verify=…)

    def listener(self, port: int) -> dict[str, object]:
        """The HTTPS listener as /_sim/v1/health tells it: a journal on another machine or in a container reads the
        certificate's PEM there, to trust it, since it cannot reach the file."""
        return {"port": port, "spki": self.spki, "pem": self.cert_file.read_text(encoding="ascii")}


def self_signed(names: tuple[str, ...] | None = None) -> Certificate:
    """A certificate for every platform host name (real and *.localhost), localhost and 127.0.0.1."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    names = names or (*ALL_HOST_NAMES, "localhost")
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "sferum-sim")])
    now = datetime.now(UTC)
    alt = [x509.DNSName(name) for name in names] + [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName(alt), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder = Path(tempfile.mkdtemp(prefix="sferum-sim-tls-"))
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    key_file.chmod(0o600)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file, key_file)
    public = key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return Certificate(context, base64.b64encode(hashlib.sha256(public).digest()).decode("ascii"), cert_file)
