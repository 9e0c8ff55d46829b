"""Precision traps: values that look like secrets but are not. Each trap sits
next to a real secret in the same file, and the real one is still reported."""

import base64
import hashlib
import json

import pytest

from spillguard.engine import filters
from spillguard.engine.rules import load_rules
from spillguard.engine.scanner import Ruleset, scan_text
from spillguard.engine.validators import make_crc62_token

RULESET = Ruleset(rules=load_rules())
TOKEN = "Zq8Lx3Vm7Kp2Rt9Wb4NcYd6"
GH = make_crc62_token("ghp_", "Qm7Zr2Wk9Lp4Tx8Vb3Nc6Hd1Jf5Gs0")
SHA256 = hashlib.sha256(b"orders").hexdigest()
SRI = "sha512-" + base64.b64encode(hashlib.sha512(b"orders").digest()).decode()


def _b64url(obj: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()


ANON_JWT = f"{_b64url({'alg': 'HS256', 'typ': 'JWT'})}.{_b64url({'role': 'anon', 'iss': 'supabase'})}.{'Q' * 43}"

# Real secret lines per file kind: the generic name-based rule where the format
# has names, a GitHub token otherwise.
REAL = {
    ".py": f'api_token = "{TOKEN}"',
    ".js": f'const apiToken = "{TOKEN}";',
    ".ts": f'const apiToken = "{TOKEN}";',
    ".yml": f"api_token: {TOKEN}",
    ".yaml": f"api_token: {TOKEN}",
    ".env": f"API_TOKEN={TOKEN}",
    ".json": f'  "api_token": "{TOKEN}",',
}


def real_line(path: str) -> tuple[str, str]:
    for ext, line in REAL.items():
        if path.endswith(ext):
            return line, TOKEN
    return f"# deploy token {GH}", GH


TRAPS = [
    # placeholders
    ("placeholder-angle", "app.py", 'api_key = "<your-api-key>"'),
    ("placeholder-xxx", ".env", "STRIPE_SECRET_KEY=sk_live_xxxxxxxxxxxxxxxxxxxxxxxx"),
    ("placeholder-here", ".env", "GITHUB_TOKEN=your-github-token-here"),
    ("placeholder-env-var", "app.yaml", "password: ${DB_PASSWORD}"),
    ("placeholder-template", "values.yaml", 'password: "{{ .Values.db.password }}"'),
    ("placeholder-empty", ".env", "ANTHROPIC_API_KEY="),
    ("placeholder-changeme", "app.py", 'JWT_SECRET = "changeme"'),
    ("placeholder-ellipsis", ".env", "OPENAI_API_KEY=sk-..."),
    ("placeholder-masked", "app.ts", 'const password = "********";'),
    ("placeholder-compose-required", "docker-compose.yml", "      - JWT_SECRET=${JWT_SECRET:?set JWT_SECRET}"),
    # vendors' documented examples
    ("aws-example-id", ".env", "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE"),
    ("aws-example-secret", ".env", "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
    ("slack-example-webhook", "notify.py",
     'URL = "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"'),
    ("jwtio-sample", "api.md",
     "Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwi"
     "aWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"),
    ("azurite-key", "Program.cs",
     'var c = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50u'
     'SRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;";'),
    # environment and secret-manager lookups
    ("env-python", "app.py", 'password = os.environ["DB_PASSWORD"]'),
    ("env-node", "app.js", "const apiKey = process.env.OPENAI_API_KEY;"),
    ("env-getenv-empty", "app.py", 'token = os.getenv("API_TOKEN", "")'),
    ("gha-secret", "ci.yml", "      NPM_TOKEN: ${{ secrets.NPM_TOKEN }}"),
    ("k8s-secret-ref", "deploy.yaml", "              secretKeyRef: { name: orders-db, key: password }"),
    ("aws-secrets-manager-arn", "es.yaml", "        secret: arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders/db-AbCdEf"),
    ("onepassword-ref", ".envrc", "export SLACK_BOT_TOKEN=op://Orders/slack-bot/credential"),
    ("sops", "secrets.enc.yaml", "db_password: ENC[AES256_GCM,data:Zq8Lx3Vm7Kp2Rt9Wb4Nc,iv:Q2x,tag:Zm9v,type:str]"),
    ("cfn-ref", "template.yaml", "                OAuthToken: !Ref GitHubToken"),
    ("terraform-var", "main.tf", "  token = var.do_token"),
    ("ansible-vault", "vars.yml", "app_db_password: !vault |"),
    # public keys, certificates, publishable keys, client ids
    ("ssh-public-key", "deploy.py",
     'DEPLOY_PUBLIC_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHk8Zq2Lx7Vm4Rt8Wp3Bn6Yd1Hs5Jf9Qc0Ta2Ub4Ve6W deploy"'),
    ("pem-public-key", "keys.py", 'JWT_PUBLIC_KEY = "-----BEGIN PUBLIC KEY-----"'),
    ("stripe-publishable", ".env", "NEXT_PUBLIC_STRIPE_KEY=pk_live_51" + "Hq7Lm2Zx9Kp4Rt8Vw3Nb" * 4),
    ("mapbox-public", ".env", "MAPBOX_TOKEN=pk.eyJ1Ijoib3JkZXJzIiwiYSI6ImNseDJ4In0.Zq8Lx3Vm7Kp2Rt9Wb4Nc"),
    ("supabase-anon", ".env", f"NEXT_PUBLIC_SUPABASE_ANON_KEY={ANON_JWT}"),
    ("google-oauth-client-id", ".env",
     "GOOGLE_CLIENT_ID=813384920117-k2j4h5g6f7d8s9a0q1w2e3r4t5y6u7i8.apps.googleusercontent.com"),
    ("github-app-client-id", "app.py", 'client_token = "Iv1.8a61f9b3a7aba766"'),
    # hashes, checksums, ids
    ("bcrypt", "test_auth.py", 'hashed_password = "$2b$12$KIXQJp0a8rW4y7mE3bTq1uY6nZ5cD9fG2hJ4kL6mN8pQ0rS2tU4vW"'),
    ("sha256-named", "build.py", f'image_checksum = "{SHA256}"'),
    ("sha256-prefixed", "app.py", f'api_key_digest = "sha256:{SHA256}"'),
    ("git-sha", "ci.yml", "      - uses: actions/checkout@b4ffde65f46336ab88eb53be808477a3936bae11"),
    ("uuid", "app.py", 'session_token = "3fa85f64-5717-4562-b3fc-2c963f66afa6"'),
    ("key-id", ".env", "REQUEST_SIGNING_KEY_ID=3fa85f64-5717-4562-b3fc-2c963f66afa6"),
    ("twilio-sid", ".env", "TWILIO_ACCOUNT_SID=AC0123456789abcdef0123456789abcdef"),
    # lockfiles
    ("package-lock", "package-lock.json", f'      "integrity": "{SRI}",'),
    ("yarn-lock", "yarn.lock", f"  integrity {SRI}"),
    ("poetry-lock", "poetry.lock", f'    {{file = "httpx-0.27.0-py3-none-any.whl", hash = "sha256:{SHA256}"}},'),
    ("cargo-lock", "Cargo.lock", f'checksum = "{SHA256}"'),
    ("go-sum", "go.sum", "github.com/aws/aws-sdk-go-v2 v1.30.3 h1:jUeBtG0Ih+ZIFH0F4UkmL9w3cSpaMv9tYYDbzILP8dY="),
    # data URIs, minified code, regexes, prose, code shapes, test fakes
    ("data-uri", "logo.ts",
     'export const LOGO = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9hAAAAZq8Lx3Vm7Kp2Rt9W";'),
    ("minified", "vendor.min.js",
     "!function(e){var t={token:\"Zq8Lx3Vm7Kp2Rt9Wb4Nc\",secret:null};" + "e.x=function(n){return n+1};" * 60 + "}(this);"),
    ("token-regex", "patterns.py", 'TOKEN_PATTERN = r"ghp_[A-Za-z0-9]{36}"'),
    ("password-regex", "A.java", '    private static final String PASSWORD_REGEX = "^(?=.*[A-Z])(?=.*\\\\d).{12,}$";'),
    ("i18n-label", "en.json", '    "passwordPlaceholder": "Enter your password",'),
    ("i18n-yaml", "en.yml", '    api_token: "API token"'),
    ("type-annotation", "models.py", "    password: str"),
    ("ts-interface", "types.ts", "  apiKey: string;"),
    ("function-name", "auth.py", "def get_token() -> str:"),
    ("token-type", "oauth.py", 'token_type = "bearer_token_v2"'),
    ("token-url", "oauth.yaml", "token_url: https://auth.corp.internal/oauth/token"),
    ("faker", "test_auth.py", '    return {"password": faker.password(length=16)}'),
    ("test-secret", "test_auth.py", '    token = make_token(user_id=42, secret="test-secret")'),
    ("mock-token", "a.test.ts", 'const mockToken = vi.fn().mockReturnValue("mock-access-token");'),
    ("csrf", "form.html", '<input type="hidden" name="csrf_token" value="4f9a2c1b8e7d6f5a4b3c2d1e0f9a8b7c">'),
    ("timeout", "settings.py", "PASSWORD_RESET_TIMEOUT = 259200"),
    ("local-default", "docker-compose.yml", "      POSTGRES_PASSWORD: postgres"),
    ("bearer-variable", "deploy.sh", 'curl -H "Authorization: Bearer $DEPLOY_TOKEN" https://api.corp.internal/deploy'),
    ("generated", "keys.py", "    api_key = secrets.token_urlsafe(32)"),
    ("path", "crypto.py", 'private_key_path = "~/.ssh/orders_deploy"'),
]


@pytest.mark.parametrize("path,trap", [t[1:] for t in TRAPS], ids=[t[0] for t in TRAPS])
def test_trap_is_not_reported_and_real_secret_still_is(path, trap):
    real, value = real_line(path)
    text = trap + "\n" + real + "\n"
    findings = scan_text(text, path, RULESET)
    on_trap = [f.rule_id for f in findings if f.start_line == 1]
    assert on_trap == [], f"trap reported by {on_trap}"
    on_real = [f for f in findings if f.start_line == 2]
    assert on_real, "the real secret next to the trap is still found"
    assert all(value not in f.preview for f in on_real)


def test_minified_line_is_skipped_by_generic_rules_only():
    line = "var a=1;" * 200 + f'token:"{TOKEN}",gh:"{GH}"'
    rules = {f.rule_id for f in scan_text(line, "app.min.js", RULESET)}
    assert rules == {"github-pat"}


@pytest.mark.parametrize(
    "value,reason",
    [
        ("SuperSecret123!", "placeholder words"),
        ("P@ssw0rd2024", "placeholder words"),
        ("abcdef123456xyz", "sequential"),
        ("3fa85f64-5717-4562-b3fc-2c963f66afa6", "uuid"),
        ("$2b$12$KIXQJp0a8rW4y7mE3bTq1uY6nZ5cD9fG2hJ4kL6mN8pQ0rS2tU4vW", "hash or checksum"),
        ("getUserToken", "identifier"),
        ("op://Orders/slack/credential", "lookup"),
    ],
)
def test_generic_value_reasons(value, reason):
    assert filters.generic_value_reason(value, 3.0, "api_token") == reason


@pytest.mark.parametrize("value", ["lyKITCoEbZ5UCOA", "Zq8Lx3Vm7Kp2Rt9Wb4NcYd6", "Tr0ub4dor&3x"])
def test_random_mixed_case_is_not_mistaken_for_an_identifier(value):
    assert filters.generic_value_reason(value, 3.0, "password") is None


@pytest.mark.parametrize(
    "name", ["token_type", "passwordHint", "public_key", "secretName", "csrf_token", "next_page_token", "api_key_id"]
)
def test_names_that_do_not_hold_secrets(name):
    assert filters.name_reason(name) == "not a secret name"


@pytest.mark.parametrize("name", ["DB_PASSWORD", "clientSecret", "api_key", "x-api-key", "SECRET_KEY_BASE"])
def test_names_that_hold_secrets(name):
    assert filters.name_reason(name) is None
