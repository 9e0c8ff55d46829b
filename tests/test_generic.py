"""Generic (name-based) detection: secrets with no known prefix, found by the
name that holds them, in every language and format assistants write."""

import pytest

from spillguard.engine.rules import load_rules
from spillguard.engine.scanner import Ruleset, scan_text

RULESET = Ruleset(rules=load_rules())

TOKEN = "Zq8Lx3Vm7Kp2Rt9Wb4NcYd6"  # random-looking, no provider prefix
PASSWORD = "Tq9!zX4#mK2v"


def secrets(text: str, path: str):
    return scan_text(text, path, RULESET)


def found_line(text: str, path: str, value: str) -> int | None:
    """The 1-based line of the finding whose span is exactly `value`, or None."""
    lines = text.splitlines()
    for f in secrets(text, path):
        if f.start_line == f.end_line and lines[f.start_line - 1][f.start_col - 1 : f.end_col - 1] == value:
            return f.start_line
    return None


CASES = [
    # (id, path, text, secret)
    ("python-assign", "app/settings.py", f'DB_PASSWORD = "{PASSWORD}"\n', PASSWORD),
    ("python-annotated", "app/settings.py", f'api_token: str = "{TOKEN}"\n', TOKEN),
    ("python-dict", "app/settings.py", f'DATABASES = {{"default": {{"PASSWORD": "{PASSWORD}"}}}}\n', PASSWORD),
    ("python-kwarg", "app/db.py", f'conn = psycopg.connect(host="db", password="{PASSWORD}")\n', PASSWORD),
    ("python-bytes", "app/crypto.py", f'FERNET_KEY = b"{TOKEN}"\n', TOKEN),
    ("python-getenv-default", "app/cfg.py", f'SECRET_KEY = os.getenv("SECRET_KEY", "{TOKEN}")\n', TOKEN),
    ("python-environ-or", "app/cfg.py", f'token = os.environ.get("GITLAB_TOKEN") or "{TOKEN}"\n', TOKEN),
    ("js-object", "src/config.js", f'module.exports = {{ sessionSecret: "{TOKEN}" }};\n', TOKEN),
    ("js-env-fallback", "src/config.js", f'const jwtSecret = process.env.JWT_SECRET || "{TOKEN}";\n', TOKEN),
    ("ts-nullish", "src/ai.ts", f'const apiKey = process.env.API_KEY ?? "{TOKEN}";\n', TOKEN),
    ("ts-typed-const", "src/ai.ts", f'const clientSecret: string = "{TOKEN}";\n', TOKEN),
    ("go-short-var", "main.go", f'\tapiKey := "{TOKEN}"\n', TOKEN),
    ("go-struct", "main.go", f'var c = &Client{{Token: "{TOKEN}"}}\n', TOKEN),
    ("java-const", "A.java", f'    private static final String DB_PASSWORD = "{PASSWORD}";\n', PASSWORD),
    ("java-setter", "A.java", f'    ds.setPassword("{PASSWORD}");\n', PASSWORD),
    ("java-spring-value", "A.java", f'    @Value("${{payments.api-key:{TOKEN}}}")\n', TOKEN),
    ("csharp-const", "A.cs", f'    private const string SendGridApiKey = "{TOKEN}";\n', TOKEN),
    ("ruby-rocket", "a.rb", f'  :auth_token => "{TOKEN}",\n', TOKEN),
    ("ruby-fetch", "a.rb", f'secret = ENV.fetch("WEBHOOK_SECRET", "{TOKEN}")\n', TOKEN),
    ("php-array", "config.php", f"    'secret' => '{TOKEN}',\n", TOKEN),
    ("php-elvis", "Db.php", f"$pass = getenv('DB_PASSWORD') ?: '{PASSWORD}';\n", PASSWORD),
    ("php-define", "wp-config.php", f"define( 'DB_PASSWORD', '{PASSWORD}' );\n", PASSWORD),
    ("yaml-unquoted", "config/database.yml", f"production:\n  password: {PASSWORD}\n", PASSWORD),
    ("yaml-quoted", "values.yaml", f'redis:\n  auth:\n    password: "{PASSWORD}"\n', PASSWORD),
    ("yaml-compose-list", "docker-compose.yml", f"    environment:\n      - ADMIN_PASSWORD={PASSWORD}\n", PASSWORD),
    ("yaml-flow", "group_vars/all.yml", f"db: {{ username: orders, password: {PASSWORD} }}\n", PASSWORD),
    ("yaml-block", "group_vars/all.yml", f"smtp:\n  password: |\n    {PASSWORD}\n", PASSWORD),
    ("k8s-env-pair", "deploy.yaml", f'        - name: SENTRY_AUTH_TOKEN\n          value: "{TOKEN}"\n', TOKEN),
    ("json", "appsettings.json", f'{{\n  "ApiToken": "{TOKEN}"\n}}\n', TOKEN),
    ("dotenv", ".env", f"SESSION_SECRET={TOKEN}\n", TOKEN),
    ("dotenv-comment", ".env.local", f"CLIENT_SECRET={TOKEN}  # rotate quarterly\n", TOKEN),
    ("ini", "odbc.ini", f"[orders]\nPassword = {PASSWORD}\n", PASSWORD),
    ("properties", "application.properties", f"spring.datasource.password={PASSWORD}\n", PASSWORD),
    ("toml", "config.toml", f'[auth]\njwt_secret = "{TOKEN}"\n', TOKEN),
    ("hcl", "main.tf", f'resource "aws_db_instance" "x" {{\n  password = "{PASSWORD}"\n}}\n', PASSWORD),
    ("terraform-variable-default", "variables.tf",
     f'variable "db_password" {{\n  type      = string\n  default   = "{PASSWORD}"\n}}\n', PASSWORD),
    ("dockerfile-env", "Dockerfile", f"ENV API_SECRET={TOKEN}\n", TOKEN),
    ("dockerfile-env-legacy", "Dockerfile", f"ENV API_SECRET {TOKEN}\n", TOKEN),
    ("shell-export", "deploy.sh", f'export VAULT_TOKEN="{TOKEN}"\n', TOKEN),
    ("shell-inline-env", "restore.sh", f"PGPASSWORD={PASSWORD} pg_restore -h db -U app dump\n", PASSWORD),
    ("shell-compose-default", "docker-compose.yml", f"      DB_PASSWORD: ${{DB_PASSWORD:-{PASSWORD}}}\n", PASSWORD),
    ("shell-mysql-p", "restore.sh", f"mysql -u root -p{PASSWORD} orders < schema.sql\n", PASSWORD),
    ("shell-curl-u", "deploy.sh", f'curl -fsS -u "deploy:{PASSWORD}" https://artifacts.corp.internal/upload\n', PASSWORD),
    ("kubectl-literal", "ops.sh", f"kubectl create secret generic db --from-literal=password={PASSWORD}\n", PASSWORD),
    ("netrc", ".netrc", f"machine git.corp.internal\n  login deploy\n  password {PASSWORD}\n", PASSWORD),
    ("pgpass", ".pgpass", f"db.internal:5432:orders:orders_app:{PASSWORD}\n", PASSWORD),
    ("xml", "settings.xml", f"      <password>{PASSWORD}</password>\n", PASSWORD),
    ("dotnet-appsettings", "app.config", f'    <add key="PaymentApiKey" value="{TOKEN}" />\n', TOKEN),
    ("connection-string", "appsettings.json",
     f'  "Db": "Server=tcp:sql.corp.internal;Database=orders;User ID=app;Password={PASSWORD};Encrypt=True;"\n',
     PASSWORD),
    ("credential-pair", "Mailer.cs", f'Credentials = new NetworkCredential("orders@corp.internal", "{PASSWORD}"),\n',
     PASSWORD),
    ("smtp-login", "mail.py", f'        s.login("alerts@corp.internal", "{PASSWORD}")\n', PASSWORD),
    ("sql-password", "0001_init.sql", f"CREATE USER reporting WITH PASSWORD '{PASSWORD}';\n", PASSWORD),
    ("android-buildconfig", "build.gradle.kts",
     f'        buildConfigField("String", "PAYMENTS_SECRET", "\\"{TOKEN}\\"")\n', TOKEN),
    ("nginx-basic", "site.conf", '    proxy_set_header Authorization "Basic ZXhhbXBsZWJvdDpUcTkhelg0I21LMnY=";\n',
     "ZXhhbXBsZWJvdDpUcTkhelg0I21LMnY="),
    ("http-file-header", "requests.http", f"GET https://api.corp.internal/v1/export\nx-api-key: {TOKEN}\n", TOKEN),
    ("bearer-header", "api.ts", f'headers: {{ Authorization: "Bearer {TOKEN}" }},\n', TOKEN),
    ("url-query", "php.ini", f'session.save_path = "tcp://redis.internal:6379?auth={TOKEN}"\n', TOKEN),
    ("comment", "notes.py", f"# old staging token: {TOKEN}\n", TOKEN),
    ("notebook", "explore.ipynb", f'    "openai_api_key = \\"{TOKEN}\\"\\n",\n', TOKEN),
    ("notebook-json-key", "explore.ipynb", f'    "    \\"api_key\\": \\"{TOKEN}\\"\\n",\n', TOKEN),
    ("markdown-code", "README.md", f"```\nORDERS_STAGING_TOKEN={TOKEN}\n```\n", TOKEN),
]


@pytest.mark.parametrize("path,text,secret", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_generic_finds_the_secret(path, text, secret):
    line = found_line(text, path, secret)
    expected = next(i for i, ln in enumerate(text.splitlines(), 1) if secret in ln)
    assert line == expected


def test_finding_is_redacted_and_named():
    text = f'DB_PASSWORD = "{PASSWORD}"\n'
    (f,) = secrets(text, "settings.py")
    assert f.rule_id.startswith("generic")
    assert f.name == "DB_PASSWORD"
    assert PASSWORD not in f.preview and PASSWORD not in f.fingerprint and PASSWORD not in f.message
    assert f.preview.startswith(PASSWORD[:4]) and "[12 chars]" in f.preview
    assert (f.start_line, f.start_col, f.end_col) == (1, 16, 16 + len(PASSWORD))
    assert "CWE-259" in f.cwe or "CWE-798" in f.cwe


def test_camel_case_name_becomes_env_style():
    (f,) = secrets(f'const clientSecret = "{TOKEN}";\n', "a.js")
    assert f.name == "CLIENT_SECRET"


@pytest.mark.parametrize(
    "text",
    [
        'password = "Tr0ub4dor&3"',  # a human password: not random, but not words either
        'DB_PASSWORD = "Rainbow$Falcon42"',
        'smtp_pass = "kq7!Lm2#"',  # short but mixed
    ],
)
def test_passwords_may_be_lower_entropy_than_tokens(text):
    assert [f.rule_id for f in secrets(text + "\n", "a.py")], text


@pytest.mark.parametrize(
    "text",
    [
        'password = "postgres"',  # dictionary word
        'password = "P@ssw0rd2024!"',  # words in leetspeak
        'secret_key = "super-secret-dev-key"',
        'api_key = "abcdef123456"',  # keyboard/alphabet sequence
        'token = "hunter2"',
        'password = "minioadmin"',
        'api_token = "test_token_value"',
        'INCORRECT_PASSWD = "Incorrect"',
    ],
)
def test_words_and_weak_placeholders_are_not_findings(text):
    assert secrets(text + "\n", "a.py") == []


def test_provider_rule_wins_over_generic_for_the_same_value():
    from spillguard.engine.validators import make_crc62_token

    tok = make_crc62_token("ghp_", "Qm7Zr2Wk9Lp4Tx8Vb3Nc6Hd1Jf5Gs0")
    (f,) = secrets(f'github_token = "{tok}"\n', "a.py")
    assert f.rule_id == "github-pat"


def test_generic_rules_are_bounded_on_hostile_input():
    # Long runs of name characters and separators must not blow up the patterns.
    hostile = ("password" * 200 + "=" + '"' * 50 + "a" * 5000 + "\n") * 3
    hostile += "token: " + "{" * 3000 + "\n" + "x-api-key" * 500 + ":" * 500 + "\n"
    assert isinstance(secrets(hostile, "a.yaml"), list)
