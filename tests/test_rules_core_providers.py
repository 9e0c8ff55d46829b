"""Core provider rules (AWS, GitLab, Slack, Stripe, OpenAI, Anthropic, Google/GCP, Azure, npm, PyPI,
Docker Hub, Vault, Terraform Cloud, Hugging Face, SendGrid, Twilio, Mailgun, Shopify, DigitalOcean,
Databricks, Postman, Telegram, Discord, Atlassian, JWT, private keys, database and basic-auth URIs) at
work in realistic files: the right rule at the right 1-based line and column, previews that never show
more than 4 characters of a secret, and the traps left alone.

Tokens are built at run time from a seeded generator, with the providers' shapes."""

from __future__ import annotations

import base64
import json
import random
import re
import string
from pathlib import Path

import pytest

from spillguard.engine.context import Context
from spillguard.engine.findings import Finding
from spillguard.engine.rules import Rule, builtin_rules_dir, parse_rule_file
from spillguard.engine.scanner import Ruleset, scan_text
from spillguard.engine.validators import PYPI_MACAROON_HEADER, make_crc62_token

CORE_FILES = (
    "aws",
    "gitlab",
    "slack",
    "stripe",
    "openai",
    "anthropic",
    "google",
    "gcp",
    "azure",
    "npm",
    "pypi",
    "dockerhub",
    "vault",
    "terraform-cloud",
    "huggingface",
    "sendgrid",
    "twilio",
    "mailgun",
    "shopify",
    "digitalocean",
    "databricks",
    "postman",
    "telegram",
    "discord",
    "atlassian",
    "jwt",
    "private-key",
    "database-uri",
    "basic-auth-url",
)
CORE_RULES: list[Rule] = [
    r for name in CORE_FILES for r in parse_rule_file(builtin_rules_dir() / "secrets" / f"{name}.toml")
]
CORE_IDS = {r.id for r in CORE_RULES}

_rng = random.Random(20261129)
ALNUM = string.ascii_letters + string.digits
HEX = "0123456789abcdef"
B64 = ALNUM + "+/"
URLSAFE = ALNUM + "-_"


def rand(n: int, alphabet: str = ALNUM) -> str:
    return "".join(_rng.choice(alphabet) for _ in range(n))


def digits(n: int) -> str:
    return _rng.choice("123456789") + rand(n - 1, string.digits)


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def pem_body(lines: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(B64) for _ in range(64)) for _ in range(lines)]


# --- tokens with the providers' shapes ---------------------------------------------------------
AWS_KEY_ID = "AKIA" + rand(16, string.ascii_uppercase + "234567")
AWS_SECRET = rand(40, B64)
STRIPE_LIVE = "sk_live_51" + rand(97)
STRIPE_PUBLISHABLE = "pk_live_51" + rand(97)
STRIPE_TEST = "sk_test_51" + rand(97)
OPENAI_KEY = "sk-proj-" + rand(74, URLSAFE) + "T3BlbkFJ" + rand(74, URLSAFE)
ANTHROPIC_KEY = "sk-ant-api03-" + rand(93, URLSAFE) + "AA"
GOOGLE_KEY = "AIza" + rand(35, URLSAFE)
SLACK_BOT = f"xoxb-{digits(12)}-{digits(13)}-{rand(24)}"
SLACK_HOOK_PATH = f"T{rand(10, string.ascii_uppercase + string.digits)}/B{rand(10, string.ascii_uppercase)}/{rand(24)}"
GITLAB_PAT = "glpat-" + rand(20, URLSAFE)
HF_TOKEN = "hf_" + rand(34, string.ascii_letters)
SENDGRID_KEY = "SG." + rand(22, URLSAFE) + "." + rand(43, URLSAFE)
NPM_TOKEN = make_crc62_token("npm_", rand(30))
NPM_FAKE = "npm_" + rand(30) + "zzzzzz"  # checksum cannot match: a fixture-looking token
DO_TOKEN = "dop_v1_" + rand(64, HEX)
DATABRICKS_TOKEN = "dapi" + rand(32, HEX)
POSTMAN_KEY = f"PMAK-{rand(24, HEX)}-{rand(34, HEX)}"
SHOPIFY_TOKEN = "shpat_" + rand(32, HEX)
MAILGUN_KEY = "key-" + rand(32, HEX)
TWILIO_SID = "AC" + rand(32, HEX)
TWILIO_TOKEN = rand(32, HEX)
TELEGRAM_TOKEN = digits(10) + ":AA" + rand(33, URLSAFE)
VAULT_TOKEN = "hvs.CAESI" + rand(86, URLSAFE)
DOCKER_PAT = "dckr_pat_" + rand(27, URLSAFE)
TFC_TOKEN = rand(14) + ".atlasv1." + rand(67)
DISCORD_HOOK_TOKEN = rand(68, URLSAFE)
ATLASSIAN_TOKEN = "ATATT3xFfGF0" + rand(170, URLSAFE) + "=" + rand(8, "0123456789ABCDEF")
AZURE_ACCOUNT_KEY = rand(86, B64) + "=="
AZURE_SAS_SIG = rand(43, ALNUM) + "%3D"
DB_PASSWORD = rand(18)
PROXY_PASSWORD = rand(16)
PYPI_TOKEN = "pypi-" + b64url(PYPI_MACAROON_HEADER + b"\x02" + bytes(_rng.randrange(256) for _ in range(120)))
JWT = (
    b64url(b'{"alg":"HS256","typ":"JWT"}')
    + "."
    + b64url(json.dumps({"sub": "svc-reports", "scope": "reports:write", "iat": 1732000000}).encode())
    + "."
    + b64url(bytes(_rng.randrange(256) for _ in range(32)))
)
JWT_IO_SAMPLE = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0Ijox"
    "NTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
)


# --- helpers -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory) -> Context:
    return Context.build(tmp_path_factory.mktemp("project"))


def secrets_in(ctx: Context, text: str, path: str) -> list[Finding]:
    return [f for f in ctx.analyze(text, path) if f.kind == "secret"]


def where(text: str, needle: str) -> tuple[int, int]:
    """1-based line and column of the first occurrence of `needle`."""
    offset = text.index(needle)
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def core(findings: list[Finding]) -> set[tuple[str, int, int]]:
    return {(f.rule_id, f.start_line, f.start_col) for f in findings if f.rule_id in CORE_IDS}


def expect(text: str, pairs: list[tuple[str, str]]) -> set[tuple[str, int, int]]:
    return {(rule_id, *where(text, secret)) for rule_id, secret in pairs}


def assert_redacted(findings: list[Finding], secrets: list[str]) -> None:
    """No finding, in any form a user sees, holds more than the first 4 characters of a secret."""
    for f in findings:
        shown = f.preview.split("…", 1)[0]
        assert len(shown) <= 4
        shown_text = f.preview + f.message
        blob = json.dumps(f.to_dict(), ensure_ascii=False) + f.fingerprint
        for s in secrets:
            assert s[:5] not in shown_text, (f.rule_id, s[:2])
            # No 10-character piece of the secret past its first 4 characters, anywhere.
            assert not any(s[i : i + 10] in blob for i in range(4, max(5, len(s) - 9))), (f.rule_id, s[:2])


def by_rule(findings: list[Finding], rule_id: str) -> Finding:
    matches = [f for f in findings if f.rule_id == rule_id]
    assert len(matches) == 1, [f.rule_id for f in findings]
    return matches[0]


# --- realistic files -----------------------------------------------------------------------------
def test_python_settings_module(ctx: Context) -> None:
    text = f'''"""Settings for the billing service."""
import os

# Docs example, never a finding: AKIAIOSFODNN7EXAMPLE / wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
AWS_REGION = "eu-west-1"
AWS_ACCESS_KEY_ID = "{AWS_KEY_ID}"
AWS_SECRET_ACCESS_KEY = "{AWS_SECRET}"
AWS_SESSION_TOKEN = os.environ.get("AWS_SESSION_TOKEN")

STRIPE_SECRET_KEY = "{STRIPE_LIVE}"
STRIPE_PUBLISHABLE_KEY = "{STRIPE_PUBLISHABLE}"
STRIPE_TEST_KEY = "{STRIPE_TEST}"

OPENAI_API_KEY = os.environ["OPENAI_API_KEY"]
openai_client = OpenAI(api_key="{OPENAI_KEY}")
anthropic_client = anthropic.Anthropic(api_key="{ANTHROPIC_KEY}")
MAPS_KEY = "{GOOGLE_KEY}"
PLACEHOLDER_KEY = "sk-ant-api03-<your-key>"
'''
    found = secrets_in(ctx, text, "billing/settings.py")
    assert core(found) == expect(
        text,
        [
            ("aws-access-key-id", AWS_KEY_ID),
            ("aws-secret-access-key", AWS_SECRET),
            ("stripe-secret-key", STRIPE_LIVE),
            ("openai-project-key", OPENAI_KEY),
            ("anthropic-api-key", ANTHROPIC_KEY),
            ("google-api-key", GOOGLE_KEY),
        ],
    )
    assert where(text, AWS_SECRET) == (7, 26)
    aws_secret = by_rule(found, "aws-secret-access-key")
    assert aws_secret.name == "AWS_SECRET_ACCESS_KEY"
    assert aws_secret.severity == "critical" and aws_secret.cwe == ("CWE-798",)
    # The key id carries the decoded account, shortened like any other secret-derived value.
    account = dict(by_rule(found, "aws-access-key-id").extra)["awsAccount"]
    assert account.endswith("…") and len(account) == 5
    # Publishable and test-mode Stripe keys, lookups and documented examples are not reported by any rule.
    reported_lines = {f.start_line for f in found}
    for trap in ("AKIAIOSFODNN7EXAMPLE", STRIPE_PUBLISHABLE, STRIPE_TEST, 'os.environ["OPENAI', "<your-key>"):
        assert where(text, trap)[0] not in reported_lines, trap
    assert_redacted(found, [AWS_KEY_ID, AWS_SECRET, STRIPE_LIVE, OPENAI_KEY, ANTHROPIC_KEY, GOOGLE_KEY])


def test_dotenv_file(ctx: Context) -> None:
    text = f"""# .env for local runs: do not commit
SLACK_BOT_TOKEN={SLACK_BOT}
SLACK_WEBHOOK_URL=https://hooks.slack.com/services/{SLACK_HOOK_PATH}
SLACK_DOCS_WEBHOOK=https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX
GITLAB_TOKEN={GITLAB_PAT}
HF_TOKEN={HF_TOKEN}
SENDGRID_API_KEY={SENDGRID_KEY}
NPM_TOKEN={NPM_TOKEN}
NPM_FIXTURE_TOKEN={NPM_FAKE}
DIGITALOCEAN_TOKEN={DO_TOKEN}
DATABRICKS_TOKEN={DATABRICKS_TOKEN}
POSTMAN_API_KEY={POSTMAN_KEY}
SHOPIFY_ACCESS_TOKEN={SHOPIFY_TOKEN}
MAILGUN_API_KEY={MAILGUN_KEY}
TWILIO_ACCOUNT_SID={TWILIO_SID}
TWILIO_AUTH_TOKEN={TWILIO_TOKEN}
TELEGRAM_BOT_TOKEN={TELEGRAM_TOKEN}
OPENAI_API_KEY=sk-proj-your-api-key-here
STRIPE_SECRET_KEY=sk_live_xxxxxxxxxxxxxxxxxxxxxxxx
"""
    found = secrets_in(ctx, text, ".env")
    assert core(found) == expect(
        text,
        [
            ("slack-bot-token", SLACK_BOT),
            ("slack-webhook-url", SLACK_HOOK_PATH),
            ("gitlab-pat", GITLAB_PAT),
            ("huggingface-access-token", HF_TOKEN),
            ("sendgrid-api-key", SENDGRID_KEY),
            ("npm-access-token", NPM_TOKEN),
            ("npm-access-token", NPM_FAKE),
            ("digitalocean-pat", DO_TOKEN),
            ("databricks-pat", DATABRICKS_TOKEN),
            ("postman-api-key", POSTMAN_KEY),
            ("shopify-access-token", SHOPIFY_TOKEN),
            ("mailgun-api-key", MAILGUN_KEY),
            ("twilio-auth-token", TWILIO_TOKEN),
            ("telegram-bot-token", TELEGRAM_TOKEN),
        ],
    )
    assert where(text, SLACK_BOT) == (2, 17)
    npm = {f.start_line: f for f in found if f.rule_id == "npm-access-token"}
    assert npm[8].validated and npm[8].confidence == "high" and npm[8].severity == "critical"
    assert npm[9].fixture and npm[9].severity == "low" and npm[9].message.startswith("Possible test fixture")
    # The account SID is an identifier; the docs webhook and placeholders are nobody's secret.
    reported_lines = {f.start_line for f in found}
    assert not reported_lines & {4, 15, 18, 19}
    assert by_rule(found, "twilio-auth-token").name == "TWILIO_AUTH_TOKEN"
    assert_redacted(
        found,
        [
            SLACK_BOT,
            SLACK_HOOK_PATH,
            GITLAB_PAT,
            HF_TOKEN,
            SENDGRID_KEY,
            NPM_TOKEN,
            NPM_FAKE,
            DO_TOKEN,
            DATABRICKS_TOKEN,
            POSTMAN_KEY,
            SHOPIFY_TOKEN,
            MAILGUN_KEY,
            TWILIO_TOKEN,
            TELEGRAM_TOKEN,
        ],
    )


def test_ci_and_kubernetes_yaml(ctx: Context) -> None:
    text = f"""name: deploy
on: [push]
env:
  VAULT_ADDR: https://vault.internal:8200
  VAULT_TOKEN: {VAULT_TOKEN}
  TF_TOKEN_app_terraform_io: "{TFC_TOKEN}"
  DOCKERHUB_TOKEN: ${{{{ secrets.DOCKERHUB_TOKEN }}}}
jobs:
  push:
    runs-on: ubuntu-latest
    steps:
      - run: echo "{DOCKER_PAT}" | docker login -u ci --password-stdin
      - run: curl -X POST -d '{{"content":"deployed"}}' https://discord.com/api/webhooks/{digits(19)}/{DISCORD_HOOK_TOKEN}
      - run: curl -u ops@corp.local:{ATLASSIAN_TOKEN} https://corp.atlassian.net/rest/api/3/myself
---
apiVersion: v1
kind: Secret
stringData:
  AZURE_STORAGE: "DefaultEndpointsProtocol=https;AccountName=reports;AccountKey={AZURE_ACCOUNT_KEY};EndpointSuffix=core.windows.net"
  REPORTS_SAS_URL: "https://reports.blob.core.windows.net/pdf?sv=2022-11-02&sp=r&se=2030-01-01T00:00:00Z&sig={AZURE_SAS_SIG}"
  DEV_STORAGE: "AccountName=devstoreaccount1;AccountKey=${{AZURE_KEY}}"
"""
    found = secrets_in(ctx, text, ".github/workflows/deploy.yml")
    assert core(found) == expect(
        text,
        [
            ("vault-service-token", VAULT_TOKEN),
            ("terraform-cloud-api-token", TFC_TOKEN),
            ("dockerhub-pat", DOCKER_PAT),
            ("discord-webhook-url", DISCORD_HOOK_TOKEN),
            ("atlassian-api-token", ATLASSIAN_TOKEN),
            ("azure-storage-account-key", AZURE_ACCOUNT_KEY),
            ("azure-sas-token", AZURE_SAS_SIG),
        ],
    )
    assert where(text, VAULT_TOKEN) == (5, 16)
    assert {f.start_line for f in found}.isdisjoint({7, 21})
    assert_redacted(found, [VAULT_TOKEN, TFC_TOKEN, DOCKER_PAT, DISCORD_HOOK_TOKEN, ATLASSIAN_TOKEN, AZURE_ACCOUNT_KEY])


def test_gcp_service_account_json(ctx: Context) -> None:
    body = pem_body(6, seed=1)
    key = "\\n".join(["-----BEGIN PRIVATE KEY-----", *body, "-----END PRIVATE KEY-----", ""])
    text = (
        "{\n"
        '  "type": "service_account",\n'
        '  "project_id": "reports-prod-4821",\n'
        f'  "private_key_id": "{rand(40, HEX)}",\n'
        f'  "private_key": "{key}",\n'
        '  "client_email": "exporter@reports-prod-4821.iam.gserviceaccount.com",\n'
        f'  "client_id": "{digits(21)}",\n'
        '  "token_uri": "https://oauth2.googleapis.com/token"\n'
        "}\n"
    )
    found = secrets_in(ctx, text, "keys/exporter.json")
    gcp = by_rule(found, "gcp-service-account-key")
    # The key body starts right after the escaped header on line 5; one finding, not two.
    assert (gcp.start_line, gcp.start_col) == (5, 48) == where(text, body[0])
    assert gcp.end_line == 5
    assert gcp.severity == "critical" and "CWE-321" in gcp.cwe
    assert not [f for f in found if f.rule_id in {"private-key", "private-key-encrypted"}]
    assert_redacted(found, body)


def test_pem_keys_in_python_triple_quoted_strings(ctx: Context) -> None:
    rsa = pem_body(5, seed=2)
    enc = pem_body(4, seed=3)
    public = pem_body(3, seed=4)
    cert = pem_body(3, seed=5)
    ec = pem_body(2, seed=6)
    text = (
        "import jwt\n\n"
        'SIGNING_KEY = """-----BEGIN RSA PRIVATE KEY-----\n'
        + "\n".join(rsa)
        + '\n-----END RSA PRIVATE KEY-----"""\n\n'
        + 'VERIFY_KEY = """-----BEGIN PUBLIC KEY-----\n'
        + "\n".join(public)
        + '\n-----END PUBLIC KEY-----"""\n\n'
        + 'CA_CERT = """-----BEGIN CERTIFICATE-----\n'
        + "\n".join(cert)
        + '\n-----END CERTIFICATE-----"""\n\n'
        + 'BACKUP_KEY = """\n    -----BEGIN ENCRYPTED PRIVATE KEY-----\n    '
        + "\n    ".join(enc)
        + '\n    -----END ENCRYPTED PRIVATE KEY-----\n"""\n'
        + 'DOCS_KEY = "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC...\\n-----END PRIVATE KEY-----"\n'
        + 'EC_KEY = ("-----BEGIN EC PRIVATE KEY-----\\n"\n'
        + "".join(f'          "{line}\\n"\n' for line in ec)
        + '          "-----END EC PRIVATE KEY-----\\n")\n'
    )
    found = secrets_in(ctx, text, "app/auth.py")
    assert core(found) == {
        ("private-key", 4, 1),
        ("private-key-encrypted", *where(text, enc[0])),
        ("private-key", *where(text, ec[0])),
    }
    key = next(f for f in found if f.rule_id == "private-key" and f.start_line == 4)
    assert (key.end_line, key.end_col) == (8, 65)  # end of the last body line, exclusive
    assert key.severity == "critical" and key.cwe == ("CWE-321",)
    assert by_rule(found, "private-key-encrypted").severity == "medium"
    assert_redacted(found, rsa + enc + ec)


def test_docker_compose_database_uris(ctx: Context) -> None:
    text = f"""services:
  api:
    image: shop/api:1.4
    environment:
      DATABASE_URL: postgres://shop:{DB_PASSWORD}@db:5432/shop
      TEST_DATABASE_URL: postgres://postgres:postgres@db:5432/shop_test
      REPLICA_URL: postgresql://shop:${{POSTGRES_PASSWORD}}@replica:5432/shop
      CACHE_URL: redis://cache:6379/0
      LOCAL_URL: mysql://dev:{PROXY_PASSWORD}@127.0.0.1:3306/dev
      BROKER_URL: amqp://guest:guest@rabbitmq:5672//
      HTTP_PROXY: http://svc-proxy:{PROXY_PASSWORD}@proxy.corp.local:3128
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: ${{POSTGRES_PASSWORD}}
"""
    found = secrets_in(ctx, text, "docker-compose.yml")
    assert core(found) == {
        ("database-uri-password", *where(text, DB_PASSWORD)),
        ("database-uri-password-local", *where(text, f"{PROXY_PASSWORD}@127")),
        ("basic-auth-url", *where(text, f"{PROXY_PASSWORD}@proxy")),
    }
    assert where(text, DB_PASSWORD) == (5, 37)
    assert by_rule(found, "database-uri-password").severity == "high"
    assert by_rule(found, "database-uri-password-local").severity == "low"
    assert {f.start_line for f in found}.isdisjoint({6, 7, 8, 10, 15})
    assert_redacted(found, [DB_PASSWORD, PROXY_PASSWORD])


def test_registry_config_files(ctx: Context) -> None:
    npmrc = f"//npm.example.com/:_authToken={NPM_TOKEN}\n@corp:registry=https://npm.example.com/\nalways-auth=true\n"
    pypirc = f"[distutils]\nindex-servers = corp\n\n[corp]\nusername = __token__\npassword = {PYPI_TOKEN}\n"
    npm_found = secrets_in(ctx, npmrc, ".npmrc")
    assert core(npm_found) == {("npm-access-token", 1, 31)}
    pypi_found = secrets_in(ctx, pypirc, ".pypirc")
    assert core(pypi_found) == {("pypi-upload-token", 6, 12)}
    pypi = by_rule(pypi_found, "pypi-upload-token")
    assert pypi.validated and pypi.severity == "critical"
    # A pypi-AgE... string that is not a PyPI macaroon still shows up, as a low-severity fixture.
    fake = "pypi-AgE" + rand(120, URLSAFE)
    fixture = by_rule(secrets_in(ctx, f"password = {fake}\n", ".pypirc"), "pypi-upload-token")
    assert fixture.fixture and fixture.severity == "low" and fixture.confidence == "low"
    assert_redacted(npm_found + pypi_found, [NPM_TOKEN, PYPI_TOKEN])


def test_javascript_client_with_jwts(ctx: Context) -> None:
    text = f"""import axios from "axios";

export const api = axios.create({{
  baseURL: "https://reports.internal/api",
  headers: {{ Authorization: "Bearer {JWT}" }},
}});

// Example from jwt.io, used in the README:
export const SAMPLE = "{JWT_IO_SAMPLE}";
export const SERVICE_JWT = "{JWT}";
"""
    found = secrets_in(ctx, text, "src/api.ts")
    assert core(found) == {("jwt-bearer-token", 5, 37), ("jwt", 10, 29)}
    assert where(text, JWT) == (5, 37)
    assert by_rule(found, "jwt-bearer-token").confidence == "high"
    assert by_rule(found, "jwt").confidence == "medium"
    assert 9 not in {f.start_line for f in found}
    assert_redacted(found, [JWT])


# --- rule-library properties ---------------------------------------------------------------------
# Rule ids are kebab-case and start with their provider (the file name unless listed here).
ID_PREFIXES = {
    "jwt": "jwt",
    "private-key": ("private-key", "pgp-private-key", "putty-private-key"),
    "database-uri": "database-",
}


def test_every_core_file_is_loaded_with_references() -> None:
    assert {Path(r.source).stem for r in CORE_RULES} == set(CORE_FILES)
    for rule in CORE_RULES:
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", rule.id), rule.id
        assert rule.id.startswith(ID_PREFIXES.get(Path(rule.source).stem, Path(rule.source).stem)), rule.id
        assert rule.cwe and all(c.startswith("CWE-") for c in rule.cwe), rule.id
        assert rule.owasp and all(o.startswith("NHI") for o in rule.owasp), rule.id
        assert rule.remediation and rule.description, rule.id
        assert len(rule.examples_match) >= 1 and len(rule.examples_no_match) >= 1, rule.id


@pytest.mark.parametrize("rule", CORE_RULES, ids=[r.id for r in CORE_RULES])
def test_keywords_occur_in_every_match(rule: Rule) -> None:
    """The prefilter never hides a match: every example match contains one of the rule's keywords."""
    for example in rule.examples_match:
        matches = list(rule.pattern.finditer(example))
        assert matches, example[:30]
        for m in matches:
            assert any(k in m.group(0).lower() for k in rule.keywords), (rule.id, m.group(0)[:12])


def _unbounded_repeats(pattern: str) -> list[int]:
    """Offsets of `*` / `+` quantifiers outside character classes (a bounded {m,n} is required)."""
    out: list[int] = []
    in_class = escaped = False
    for i, c in enumerate(pattern):
        if escaped:
            escaped = False
        elif c == "\\":
            escaped = True
        elif in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            if pattern[i + 1 : i + 2] == "]":
                continue
        elif c in "*+" and pattern[i - 1 : i] != "(":
            out.append(i)
    return out


@pytest.mark.parametrize("rule", CORE_RULES, ids=[r.id for r in CORE_RULES])
def test_patterns_use_bounded_repeats(rule: Rule) -> None:
    assert _unbounded_repeats(rule.pattern.pattern) == []


def test_unbounded_repeat_check_detects_stars() -> None:
    assert _unbounded_repeats(r"a[b*]+c") == [5]
    assert _unbounded_repeats(r"a\+b{0,3}") == []


def test_prefix_rules_match_alone_and_not_inside_longer_words() -> None:
    ruleset = Ruleset(rules=CORE_RULES)
    for token, rule_id in [
        (GITLAB_PAT, "gitlab-pat"),
        (SLACK_BOT, "slack-bot-token"),
        (DO_TOKEN, "digitalocean-pat"),
        (HF_TOKEN, "huggingface-access-token"),
    ]:
        assert [f.rule_id for f in scan_text(f"token={token}\n", "x.env", ruleset)] == [rule_id]
        assert scan_text(f"token=X{token}Y\n", "x.env", ruleset) == []


def test_terraform_provider_block_pairs_secret_with_key_id(ctx: Context) -> None:
    text = f'''provider "aws" {{
  region     = "eu-west-1"
  access_key = "{AWS_KEY_ID}"
  secret_key = "{AWS_SECRET}"
}}

provider "aws" {{
  alias      = "docs"
  access_key = "AKIAIOSFODNN7EXAMPLE"
  secret_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
}}
'''
    found = secrets_in(ctx, text, "infra/main.tf")
    assert core(found) == {("aws-access-key-id", 3, 17), ("aws-secret-access-key-near-key-id", 4, 17)}
    secret = by_rule(found, "aws-secret-access-key-near-key-id")
    assert secret.name == "SECRET_KEY" and secret.severity == "critical"
    assert {f.start_line for f in found}.isdisjoint({9, 10})
    assert_redacted(found, [AWS_KEY_ID, AWS_SECRET])
