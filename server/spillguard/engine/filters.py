"""Precision filters: decide that a pattern match is not a secret.

Detection (patterns) and filtering are separate steps: a rule finds a
candidate, these functions throw out placeholders, documented example keys,
lookups, hashes, UUIDs and the like. Each returns a short reason when the value
is not a secret, or None.

Two levels:
- `placeholder_reason` applies to every rule (a provider-shaped token can still
  be `ghp_xxxx…` or a vendor's documented example);
- `generic_value_reason` and `name_reason` apply to name-based (generic) rules,
  whose values have no known prefix: the value must look random and the name
  must really hold a secret (not `token_type`, `password_field`, `public_key`).
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from collections import Counter
from functools import lru_cache

import regex

from . import regex_cache

# Vendors' documented example credentials: never findings.
DOCUMENTED_EXAMPLES = frozenset(
    {
        "AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "ASIAIOSFODNN7EXAMPLE",
        "AKIAI44QH8DHBEXAMPLE",
        "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
        # jwt.io's sample token (HS256, "John Doe").
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
        # Azure Storage emulator (Azurite) well-known account key, published by Microsoft.
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
        # Twilio's documented magic test credentials' account SID shape.
        "ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
        # Slack's documented webhook example.
        "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
        "T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
    }
)

_PLACEHOLDER_RE = regex_cache.compile(
    r"""
    ^\s*$
    | ^[<\[{(].*[>\]})]$                          # <your-key> [KEY] {key}
    | \$\{[^}]*\}|\$\([^)]*\)|^\$[A-Za-z_]\w*$    # ${VAR} $(cmd) $VAR
    | \{\{.*\}\} | \{%.*%\} | ^%[A-Z_]+%$         # {{ var }} {% %} %VAR%
    | ^%[sd(]|%\([a-z_]+\)s|^:\w+$|^\#\{.*\}$     # %s, %(name)s, :param, #{ruby}
    | (?i:x{4,}|\*{3,}|\.{3,}|…|_{4,}|-{4,}|0{8,}|\#{4,}|\?{3,})
    | (?i:your|my|some|insert|enter|put|replace|fill|the)[-_ ]?(?:own[-_ ]?)?
        (?:[a-z]+[-_ ])?(?:api[-_ ]?)?(?:key|token|secret|password|pass|pwd|credential|value|here|app)
    | (?i:^(?:redacted|placeholder|changeme|change[-_]me|dummy|example|sample|test|testing|
        todo|fixme|tbd|none|null|nil|undefined|true|false|secret|password|passwd|token|
        not[-_ ]?set|unset|default|foobar|foo|bar|baz|abc123|123456|12345678|qwerty|letmein|
        admin|root|user|guest|hunter2|s3cr3t|p@ssw0rd|password123|pass123|secret123|mysecret|
        my[-_]?password|mypassword|yourpassword|supersecret|super[-_]secret)$)
    | (?i:[-_]here$|^here[-_]|replace[-_]?me|change[-_]?this|example\.com|\bexample[-_]?key
        |^(?:fake|dummy|mock|test|sample|example)[-_])
    """,
    regex.VERBOSE,
)

# References to a secret kept elsewhere: environment, secret managers, IaC refs.
_LOOKUP_RE = regex_cache.compile(
    r"""
    (?:os\.)?(?:environ|getenv)\b | process\.env | System\.getenv | ENV\[ | ENV\.fetch
    | Environment\.GetEnvironmentVariable | os\.Getenv | \bvar\.[a-z_] | \blocal\.[a-z_] | \bdata\.[a-z_]
    | \bsecrets\.[A-Za-z_] | secretsmanager | SecretManager | ssm:|vault: | keyring\. | \bconfig\[|settings\.[A-Z_]+\b
    | ^ENC\[ | ^\$ANSIBLE_VAULT | ^arn:aws: | ^op:// | ^(?:azure)?keyvault:// | ^akv:// | ^sm:// | ^gcp:// | ^ref\+
    | ^projects/[^/]+/secrets/ | ^!(?:Ref|Sub|GetAtt|ImportValue)\b | ^resolve:secretsmanager
    """,
    regex.VERBOSE,
)

_UUID_RE = regex_cache.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_HEX_RE = regex_cache.compile(r"^[0-9a-fA-F]+$")
_REGEX_SHAPE_RE = regex_cache.compile(r"\[[^\]]*-[^\]]*\]|\\[dwsb]|\{\d+(?:,\d*)?\}|\(\?[:P<=!]|\.\*|\.\+|^\^.*\$$")
_DATA_URI_RE = regex_cache.compile(r"^data:[\w/+.-]+(?:;[\w=-]+)*,", regex.I)
_PATHLIKE_RE = regex_cache.compile(r"^(?:\.{0,2}/|~/|[A-Za-z]:\\)[\w./\\-]*$|^[\w-]+(?:\.[\w-]+)+/[\w./-]*$")
_URLISH_RE = regex_cache.compile(r"^[a-z][a-z0-9+.-]*://[^:@/\s]+(?:[:/][^@\s]*)?$", regex.I)
_WORDY_RE = regex_cache.compile(r"^[A-Za-z]+(?:[ _.-][A-Za-z]+)+$")
# Identifiers and references, not values: camelCase/PascalCase made of real-looking words
# (each capital followed by 2+ lowercase letters, so random mixed case does not qualify),
# snake_case, kebab-case, CONSTANT_CASE, dotted paths and calls.
_IDENT_RE = regex_cache.compile(
    r"^[a-z]{2,}(?:[A-Z][a-z]+)+\d{0,3}$|^(?:[A-Z][a-z]{2,}){2,}\d{0,3}$|^[a-z]+(?:_[a-z]+)+\d{0,3}$"
    r"|^[A-Z]+(?:_[A-Z]+)+\d{0,3}$|^[a-z]+(?:-[a-z]+)+\d{0,3}$"
    r"|^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+\(\)$|^[a-z_]+(?:\.[a-z_]+)+$|^[A-Za-z_]\w*\(\)$"
    r"|^(?:self|this|cfg|config|conf|settings|env|options|opts|params|props|app|ctx|values|global)\.[\w.]+$"
)
# Hashes and checksums with their scheme: bcrypt/argon2/crypt, lockfile integrity, digests.
_HASH_PREFIX_RE = regex_cache.compile(
    r"""(?ix)^(?:\$2[abxy]?\$\d\d\$|\$argon2(?:id|i|d)\$|\$(?:1|5|6|y|scrypt|pbkdf2[\w-]*)\$|\{(?:SSHA|SHA|MD5)\}
    |(?:sha(?:1|224|256|384|512)|md5|blake2b?)[-:]|pbkdf2_sha256\$|sha1\$)"""
)
_PUBLIC_RE = regex_cache.compile(
    r"^(?:pk_(?:live|test)_|ssh-(?:rsa|ed25519|dss)|ecdsa-sha2-|-----BEGIN (?:PUBLIC KEY|CERTIFICATE|RSA PUBLIC KEY|"
    r"PGP PUBLIC KEY BLOCK|OPENSSH PUBLIC KEY)|MII[A-Za-z0-9+/]{0,8}(?:CgKCAQ|BIjAN|BCgKC)|npub1)"
)
_OAUTH_CLIENT_ID_RE = regex_cache.compile(r"\.apps\.googleusercontent\.com$|^Iv1\.[0-9a-f]{16}$|^Ov23li[A-Za-z0-9]{14}$")
_WORD_RE = regex_cache.compile(r"^[A-Z]?[a-z]+$|^[A-Z]+$")
_VERSIONISH_RE = regex_cache.compile(r"^v?\d+(?:\.\d+){1,3}(?:[-+][\w.]+)?$")
_DATEISH_RE = regex_cache.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+Z?)?$")
_SEQUENCES = ("abcdefghijklmnopqrstuvwxyz", "0123456789", "qwertyuiop", "asdfghjkl", "zxcvbnm")

# Words people put in fake and placeholder credentials. A value made only of
# these (plus digits and punctuation, after undoing leetspeak) is not a secret.
_PLACEHOLDER_WORDS = frozenset(
    """
    a admin administrator api app application access auth bar baz bot client change changeme cred creds
    credential credentials db dev demo development default dummy example fake foo foobar guest hello
    hunter is it key keys local localhost login me mock my mysql master my new none not our pass passw
    passwd password passwords passphrase postgres postgresql prod production pwd qwerty redis replace
    root sample secret secrets secure service set some staging super test testing this token tokens
    top user username value very welcome your yours here the to be for please insert do use real
    only stage qa ci sandbox temp tmp private shared signing session cookie webhook jwt hmac encrypt
    encryption rabbit rabbitmq mongo mongodb elastic kafka minio keycloak grafana airflow django rails
    flask laravel spring node app local docker compose changeit letmein abc xyz default pw pwd
    """.split()
)
# Leetspeak only between letters (p@ssw0rd, s3cr3t), so "2024" stays a number.
_LEET_INNER = regex_cache.compile(r"(?<=[a-z])[013457@$!](?=[a-z])|^[@$](?=[a-z])")
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"})


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


@lru_cache(maxsize=4096)
def _segments_into_words(letters: str) -> bool:
    """Can `letters` be cut into placeholder words? (small word-break DP)"""
    n = len(letters)
    ok = [False] * (n + 1)
    ok[0] = True
    for i in range(1, n + 1):
        for j in range(max(0, i - 14), i):
            if ok[j] and letters[j:i] in _PLACEHOLDER_WORDS:
                ok[i] = True
                break
    return ok[n]


def is_placeholder_words(value: str) -> bool:
    """`SuperSecret123!`, `dev-api-key`, `P@ssw0rd2024`, `test_token_abc`: words, not randomness."""
    plain = _LEET_INNER.sub(lambda m: m.group(0).translate(_LEET), value.lower())
    runs = [r for r in regex.split(r"[^a-z]+", plain) if r]
    letters = sum(len(r) for r in runs)
    if not runs or letters < len(value) / 2:
        return False
    return all(_segments_into_words(r) for r in runs)


def is_sequential(value: str) -> bool:
    """`abcdef123456`, `qwerty12345`: runs of 6+ keyboard or alphabet neighbours."""
    low = value.lower()
    for seq in _SEQUENCES:
        for i in range(len(seq) - 5):
            if seq[i : i + 6] in low:
                return True
    return False


_PATH_SEGMENT_RE = regex_cache.compile(r"^(?:[a-z0-9_.-]+|[a-z]+(?:[A-Z][a-z0-9]+)*|[\w.-]*\.[a-z0-9]{1,6})$")


def is_wordy_path(value: str) -> bool:
    """`bin/secretlint.js`, `textDocument/semanticTokens/full`: slash-separated words, not base64.

    Base64 secrets contain `/` too, but their segments mix case at random; path
    segments are lowercase, camelCase words, or end in a file extension.
    """
    if "/" not in value or value.startswith("/") or "//" in value:
        return False
    segments = value.split("/")
    return all(seg and _PATH_SEGMENT_RE.match(seg) for seg in segments)


def hash_reason(value: str) -> str | None:
    if _HASH_PREFIX_RE.match(value):
        return "hash or checksum"
    return None


def public_reason(value: str) -> str | None:
    if _PUBLIC_RE.match(value):
        return "public key or publishable key"
    if _OAUTH_CLIENT_ID_RE.search(value):
        return "oauth client id"
    return None


def _jwt_claims(value: str) -> dict[str, object] | None:
    parts = value.split(".")
    if len(parts) != 3 or not value.startswith("eyJ"):
        return None
    try:
        raw = base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4))
        claims = json.loads(raw)
    except (ValueError, binascii.Error):
        return None
    return claims if isinstance(claims, dict) else None


def public_value_reason(value: str) -> str | None:
    """Values published on purpose, for every rule: publishable keys, Mapbox public
    tokens, Supabase anon keys (a JWT whose role is `anon`)."""
    if value.startswith(("pk_live_", "pk_test_", "pk.eyJ")):
        return "publishable key"
    claims = _jwt_claims(value)
    if claims is not None and claims.get("role") == "anon":
        return "public anon key"
    return None


def generic_value_reason(value: str, min_entropy: float, name: str = "") -> str | None:
    """A value found by a name-based (generic) rule must look like a secret.

    Passwords (the name says password/passwd/pwd/pass) may be shorter and less
    random than API tokens, but not words or placeholders.
    """
    v = value.strip()
    password = is_password_name(name)
    if len(v) < (8 if password else 10):
        return "too short"
    if len(v) > 4096:
        return "too long"
    if _UUID_RE.match(v):
        return "uuid"
    if _HEX_RE.match(v) and len(v) in (32, 40, 64, 128) and v.lower() == v and shannon_entropy(v) < 3.0:
        return "hash-like"
    reason = hash_reason(v) or public_reason(v) or public_value_reason(v) or lookup_reason(v)
    if reason:
        return reason
    if _DATA_URI_RE.match(v):
        return "data uri"
    if _REGEX_SHAPE_RE.search(v):
        return "regex"
    if _PATHLIKE_RE.match(v) or _URLISH_RE.match(v) or is_wordy_path(v):
        return "path or url"
    if " " in v and _WORDY_RE.match(v):
        return "prose"
    if _IDENT_RE.match(v):
        return "identifier"
    if v.count(" ") >= 2:
        return "prose"
    if _VERSIONISH_RE.match(v) or _DATEISH_RE.match(v):
        return "version or date"
    if _WORD_RE.match(v):
        return "a word"
    if is_placeholder_words(v):
        return "placeholder words"
    if is_sequential(v):
        return "sequential"
    if char_classes(v) < 2:
        return "one character class"
    if v.isdigit():
        return "number"
    entropy = shannon_entropy(v)
    if password:
        if entropy < min(min_entropy, 2.5):
            return "low entropy"
    elif entropy < min_entropy:
        return "low entropy"
    return None


# ---------------------------------------------------------------- names

_WORD_SPLIT = regex_cache.compile(r"[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")

# The last word of a name that holds something other than a secret.
_NOT_SECRET_LAST = frozenset(
    """
    id ids url uri urls path paths file filename files dir directory name names type types kind len length size
    endpoint endpoints header headers field fields env var vars prefix suffix format pattern patterns regex re rx
    placeholder label labels hint hints description desc example examples sample count policy policies algorithm
    alg algo hash hashed digest checksum sha sha1 sha256 md5 integrity etag fingerprint version mode ref refs arn
    input message msg error errors prompt title text help selector xpath param params column col source provider
    manager store backend class handler enabled required timeout limit location expiry expires expiration ttl
    lifetime rotation generator validator validation length min max policy strength question reset confirm
    confirmation visible visibility toggle icon link route view page screen form button btn template schema
    parser serializer factory service cookie cache key_id keyid tokenizer tokenizers tokenize tokenized
    cert certs certificate certificates usage scope scopes audience issuer endpoint
    """.split()
)
# Any of these words anywhere: the name is about something public or non-secret.
_NOT_SECRET_ANY = frozenset(
    "public pub publishable csrf xsrf page pagination next continuation cursor site captcha mock fake dummy "
    "example sample placeholder tokenizer".split()
)
_PASSWORD_WORDS = frozenset("password passwd pwd pass passphrase passcode pw".split())


def name_words(name: str) -> list[str]:
    return [w.lower() for w in _WORD_SPLIT.split(name) if w]


def is_password_name(name: str) -> bool:
    words = name_words(name)
    return any(w in _PASSWORD_WORDS or w.startswith("password") for w in words)


def name_reason(name: str) -> str | None:
    if not name:
        return None
    words = name_words(name)
    if not words:
        return None
    if words[-1] in _NOT_SECRET_LAST or any(w in _NOT_SECRET_ANY for w in words):
        return "not a secret name"
    if words[0] in ("hashed", "encrypted", "min", "max", "num", "is", "has", "show", "use", "enable", "disable"):
        return "not a secret name"
    if len(words) >= 2 and words[-2:] in (["token", "type"], ["key", "id"], ["site", "key"]):
        return "not a secret name"
    if "passwordless" in words:
        return "not a secret name"
    return None


def is_hex_hash(value: str) -> bool:
    return bool(_HEX_RE.match(value)) and len(value) in (32, 40, 56, 64, 96, 128)
