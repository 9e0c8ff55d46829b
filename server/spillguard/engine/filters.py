"""Precision filters: decide that a pattern match is not a secret.

Detection (patterns) and filtering are separate steps: a rule finds a
candidate, these functions throw out placeholders, documented example keys,
lookups, hashes, UUIDs and the like. Each returns a short reason when the value
is not a secret, or None.
"""

from __future__ import annotations

import math
from collections import Counter

import regex

# Vendors' documented example credentials: never findings.
DOCUMENTED_EXAMPLES = frozenset(
    {
        "AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "ASIAIOSFODNN7EXAMPLE",
        # jwt.io's sample token (HS256, "John Doe").
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
        # Stripe's docs test keys are sk_test_ (rules only match live keys).
    }
)

_PLACEHOLDER_RE = regex.compile(
    r"""
    ^\s*$
    | ^[<\[{(].*[>\]})]$                          # <your-key> [KEY] {key}
    | \$\{[^}]*\}|\$\([^)]*\)|^\$[A-Za-z_]\w*$    # ${VAR} $(cmd) $VAR
    | \{\{.*\}\} | \{%.*%\}                       # {{ var }} {% %}
    | ^%[sd(]|%\([a-z_]+\)s|^:\w+$                # %s, %(name)s, :param
    | (?i:x{4,}|\*{3,}|\.{3,}|…|_{4,}|-{4,}|0{8,}|\#{4,}|\?{3,})
    | (?i:your|my|some|insert|enter|put|replace|fill)[-_ ]?(?:own[-_ ]?)?
        (?:api[-_ ]?)?(?:key|token|secret|password|pass|pwd|credential|value|here|app)
    | (?i:^(?:redacted|placeholder|changeme|change[-_]me|dummy|example|sample|test|testing|
        todo|fixme|none|null|nil|undefined|true|false|secret|password|passwd|token|
        not[-_ ]?set|unset|default|foobar|foo|bar|baz|abc123|123456|12345678|qwerty|letmein|
        admin|root|user|guest|hunter2|s3cr3t|p@ssw0rd|password123|pass123|secret123|mysecret|
        my[-_]?password|mypassword|yourpassword|supersecret|super[-_]secret)$)
    | (?i:[-_]here$|^here[-_]|replace[-_]?me|change[-_]?this|example\.com|\bexample[-_]?key)
    """,
    regex.VERBOSE,
)

_LOOKUP_RE = regex.compile(
    r"""
    (?:os\.)?(?:environ|getenv)\b | process\.env | System\.getenv | ENV\[ | ENV\.fetch
    | Environment\.GetEnvironmentVariable | os\.Getenv | \bvar\.[a-z_]
    | \bsecrets\.[A-Z_] | secretsmanager | SecretManager | ssm:|vault: | keyring\.
    | \bconfig\[|settings\.[A-Z_]+\b
    """,
    regex.VERBOSE,
)

_UUID_RE = regex.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_HEX_RE = regex.compile(r"^[0-9a-fA-F]+$")
_REGEX_SHAPE_RE = regex.compile(r"\[[^\]]*-[^\]]*\]|\\[dwsb]|\{\d+(?:,\d*)?\}|\(\?[:P<=!]|\.\*|\.\+")
_DATA_URI_RE = regex.compile(r"^data:[\w/+.-]+(?:;[\w=-]+)*,", regex.I)
_PATHLIKE_RE = regex.compile(r"^(?:\.{0,2}/|~/|[A-Za-z]:\\)[\w./\\-]*$|^[\w-]+(?:\.[\w-]+)+/[\w./-]*$")
_URLISH_RE = regex.compile(r"^[a-z][a-z0-9+.-]*://[^:@/\s]+(?:[:/][^@\s]*)?$", regex.I)
_WORDY_RE = regex.compile(r"^[A-Za-z]+(?:[ _.-][A-Za-z]+)+$")
_IDENT_RE = regex.compile(r"^[a-z]+(?:[A-Z][a-z]+)+$|^[a-z]+(?:_[a-z]+)+$|^[A-Z]+(?:_[A-Z]+)+$")

# Names that hold something other than a secret even though they say "key" etc.
_NOT_SECRET_NAME_RE = regex.compile(
    r"""(?ix)
    (?:^|[-_.])(?:public|pub|publishable|client[-_]?id|key[-_]?id|id|ids|url|uri|path|file|filename|dir|
       name|names|type|kind|len|length|size|endpoint|header|field|env|var|prefix|suffix|format|
       pattern|regex|re|placeholder|label|hint|description|desc|example|sample|count|policy|
       algorithm|alg|hash|digest|checksum|sha\d*|md5|integrity|etag|fingerprint|version|mode)$
    | ^(?:public|pub)[-_]?key | publishable | (?:^|[-_])(?:csrf|xsrf)[-_]?(?:token|header|cookie)
    | token[-_]?(?:type|url|uri|endpoint|expir\w*|ttl|lifetime|count|limit|len\w*)
    | (?:^|[-_])(?:min|max|num)[-_] | passwordless | password[-_]?(?:policy|reset[-_]url|field|hint|label|rules?)
    """
)


def shannon_entropy(value: str) -> float:
    if not value:
        return 0.0
    counts = Counter(value)
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in counts.values())


def char_classes(value: str) -> int:
    return sum(
        (
            any(c.islower() for c in value),
            any(c.isupper() for c in value),
            any(c.isdigit() for c in value),
            any(not c.isalnum() for c in value),
        )
    )


def is_documented_example(value: str) -> bool:
    if value in DOCUMENTED_EXAMPLES:
        return True
    upper = value.upper()
    return upper.endswith("EXAMPLE") or upper.endswith("EXAMPLEKEY") or "EXAMPLEKEY" in upper


def placeholder_reason(value: str) -> str | None:
    if _PLACEHOLDER_RE.search(value):
        return "placeholder"
    if is_documented_example(value):
        return "documented example"
    return None


def lookup_reason(value: str) -> str | None:
    return "lookup" if _LOOKUP_RE.search(value) else None


def generic_value_reason(value: str, min_entropy: float) -> str | None:
    """A value found by a name-based (generic) rule must look like a secret."""
    v = value.strip()
    if len(v) < 8:
        return "too short"
    if len(v) > 4096:
        return "too long"
    if _UUID_RE.match(v):
        return "uuid"
    if _HEX_RE.match(v) and len(v) in (32, 40, 64, 128) and v.lower() == v and shannon_entropy(v) < 3.0:
        return "hash-like"
    if _DATA_URI_RE.match(v):
        return "data uri"
    if _REGEX_SHAPE_RE.search(v):
        return "regex"
    if _PATHLIKE_RE.match(v) or _URLISH_RE.match(v):
        return "path or url"
    if " " in v and _WORDY_RE.match(v):
        return "prose"
    if _IDENT_RE.match(v):
        return "identifier"
    if v.count(" ") >= 2:
        return "prose"
    if lookup_reason(v):
        return "lookup"
    if char_classes(v) < 2:
        return "one character class"
    if shannon_entropy(v) < min_entropy:
        return "low entropy"
    return None


def name_reason(name: str) -> str | None:
    return "not a secret name" if name and _NOT_SECRET_NAME_RE.search(name) else None


def is_hex_hash(value: str) -> bool:
    return bool(_HEX_RE.match(value)) and len(value) in (32, 40, 56, 64, 96, 128)
