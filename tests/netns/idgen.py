#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR MIT
"""idgen.py PREFIX_HEX PEM: write an evpnd identity (ECDSA P-256 key and
self-signed certificate, as daemon/identity.c makes them) whose node ID
starts with the bytes PREFIX_HEX (0 to 2 bytes), and print that ID.

A node's ID is the first 16 bytes of SHA-256 over its key's DER
SubjectPublicKeyInfo (docs/protocol.md "Node IDs"), so a test that needs
nodes at given ring positions grinds keys: 2^(8 * len(PREFIX)) tries on
average -- the cost docs/security.md quotes for an attacker."""
import datetime
import hashlib
import os
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def node_id(key):
    spki = key.public_key().public_bytes(
        serialization.Encoding.DER,
        serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(spki).digest()[:16]


def grind(prefix):
    while True:
        key = ec.generate_private_key(ec.SECP256R1())
        nid = node_id(key)
        if nid.startswith(prefix):
            return key, nid


def certificate(key, cn):
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    now = datetime.datetime.now(datetime.timezone.utc)
    return (x509.CertificateBuilder()
            .subject_name(name).issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=7300))
            .sign(key, hashes.SHA256()))


def main():
    if len(sys.argv) != 3 or len(sys.argv[1]) > 4:
        sys.exit(__doc__)
    key, nid = grind(bytes.fromhex(sys.argv[1]))
    pem = key.private_bytes(serialization.Encoding.PEM,
                            serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    pem += certificate(key, nid.hex()).public_bytes(serialization.Encoding.PEM)
    os.makedirs(os.path.dirname(os.path.abspath(sys.argv[2])), mode=0o700,
                exist_ok=True)
    fd = os.open(sys.argv[2], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(pem)
    print(nid.hex())


if __name__ == "__main__":
    main()
