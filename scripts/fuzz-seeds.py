#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets that read a FuzzedDataProvider.

Jazzer's FuzzedDataProvider (like libFuzzer's) takes strings and raw bytes from the front of the
input and numbers and booleans from the back, last byte first; a string ends at a backslash
followed by any character but another backslash (both are consumed), or at the end of the input.
So a seed is: its strings, each ended by "\\;", then its control bytes in the reverse of the order
the target consumes them. Each seed below lists the target's calls in order, so that a reader can
check it against the target, and this script is the one place that knows the encoding.

Run from the repository root: scripts/fuzz-seeds.py (it rewrites the seeds it names, and no
others: the corpus may hold inputs the fuzzer found).
"""
from pathlib import Path

END = b"\\;"


def seed(calls):
    """calls: the target's consumptions in order: ('s', str) string, ('b', bytes) raw bytes,
    ('n', int) one control byte (a boolean, or a pick/int in a range below 256)."""
    front, back = b"", []
    for kind, value in calls:
        if kind == "s":
            assert b"\\" not in value.encode(), "backslashes need doubling"
            front += value.encode() + END
        elif kind == "b":
            front += value
        else:
            back.append(value)
    return front + bytes(reversed(back))


def write(directory, name, calls):
    path = Path(directory) / name
    path.write_bytes(seed(calls))


# ---- tenant-core ResolversFuzzTest.fuzz_resolvers -------------------------------------------
# consumeString(80) host, consumeString(120) path, consumeString(60) header, consumeBoolean
# (peer as text?), then consumeString(45) peer, or consumeBoolean (4 bytes?) and consumeBytes.
R = "tenant-core/src/test/resources/dev/tenantkit/core/ResolversFuzzTestInputs/fuzz_resolvers"


def resolvers(host, path, header, peer):
    calls = [("s", host), ("s", path), ("s", header)]
    if isinstance(peer, str):
        calls += [("n", 1), ("s", peer)]
    else:
        calls += [("n", 0), ("n", 1 if len(peer) == 4 else 0), ("b", peer)]
    return calls


write(R, "trusted-header", resolvers("acme.app.example.com", "/t/acme/x", "acme", "10.0.0.7"))
write(R, "untrusted", resolvers("ACME.APP.EXAMPLE.COM:443", "/t/%61cme", "globex", "203.0.113.9"))
write(R, "odd-shapes", resolvers("a.b.app.example.com", "/t//acme", " acme ", "::ffff:10.0.0.5"))
write(R, "ipv4-bytes-inside", resolvers("globex.app.example.com", "/t/globex", "globex", bytes([10, 0, 0, 9])))
write(R, "ipv6-bytes-inside", resolvers("x.app.example.com", "/", "initech",
                                        bytes([0x20, 0x01, 0x0d, 0xb8, 0xab, 0xcd] + [0] * 9 + [1])))
write(R, "ipv6-bytes-outside", resolvers("x.app.example.com", "/t/acme", "acme",
                                         bytes([0x20, 0x01, 0x0d, 0xb8, 0xab, 0xce] + [0] * 9 + [1])))

# ---- tenant-auth TokenVerifierFuzzTest.fuzz_tokens ------------------------------------------
# consumeBoolean (resolved?), [pickValue of 6 tenants], consumeBoolean (raw?), pickValue of 5
# issuers; raw: consumeRemainingAsString; signed: consumeBoolean (access?), consumeInt(0, 6)
# extra claims, each: consumeBoolean (known name?), pickValue(15 names) or consumeString(20),
# consumeInt(0, 5) kind, the value; consumeBoolean (fuzzed kid?) [consumeString(40)],
# consumeBoolean (typ?) [consumeString(12)].
T = "tenant-auth/src/test/resources/dev/tenantkit/auth/TokenVerifierFuzzTestInputs/fuzz_tokens"
TENANTS = ["acme", "globex", "initech", "umbrella", "oktaco", "hooli"]
ISSUERS = ["acme", "globex", "shared", "okta", "attacker"]
CLAIMS = ["iss", "sub", "aud", "exp", "nbf", "iat", "token_use", "client_id", "cid", "scp", "scope",
          "custom:tenant_id", "cognito:groups", "groups", "username"]


def resolved(tenant):
    return [("n", 0)] if tenant is None else [("n", 1), ("n", TENANTS.index(tenant))]


def raw(tenant, signer, token):
    # consumeRemainingAsString reads the front after the control bytes were taken: no terminator.
    return resolved(tenant) + [("n", 1), ("n", ISSUERS.index(signer)), ("b", token.encode())]


def signed(tenant, signer, access=True, claims=(), kid=None, typ=None):
    calls = resolved(tenant) + [("n", 0), ("n", ISSUERS.index(signer)), ("n", 1 if access else 0),
                                ("n", len(claims))]
    for name, value in claims:
        calls += [("n", 1), ("n", CLAIMS.index(name))]
        calls += [("n", 1), ("s", value)]  # kind 1: a string of at most 40
    calls += [("n", 0)] if kid is None else [("n", 1), ("s", kid)]
    calls += [("n", 0)] if typ is None else [("n", 1), ("s", typ)]
    return calls


write(T, "alg-none", raw("acme", "acme", "eyJhbGciOiJub25lIn0.eyJpc3MiOiJ4In0."))
write(T, "empty", raw(None, "acme", ""))
write(T, "jwe-shape", raw("globex", "globex", "a.b.c.d.e"))
write(T, "good-acme", signed("acme", "acme"))
write(T, "good-okta-unresolved", signed(None, "okta"))
write(T, "acme-token-for-globex", signed("globex", "acme"))
write(T, "attacker-signed", signed("acme", "attacker", claims=[("custom:tenant_id", "acme")]))
write(T, "structured-iss", signed("acme", "acme", claims=[("iss", "http://127.0.0.1/x")]))
write(T, "structured-kind", signed("acme", "acme", claims=[("token_use", "id"), ("client_id", "evil")]))
write(T, "id-token-typed-as-access", signed("acme", "acme", access=False, typ="at+jwt"))
write(T, "kid-traversal", signed("acme", "acme", kid="../../../etc/passwd"))
write(T, "shared-pool-claims-other-tenant", signed("initech", "shared", claims=[("custom:tenant_id", "umbrella")]))
