"""Python insecure defaults: what a user sees on realistic files, and the fixes."""

import textwrap

from doc_helpers import EditedDocument

from spillguard.engine.insecure import default_ruleset, scan_insecure
from spillguard.engine.parsing import parse_bytes
from spillguard.engine.rulecheck import apply_edits

APP = textwrap.dedent('''\
    """Payment client."""
    import hashlib
    import logging
    import pickle
    import random
    import ssl
    import subprocess

    import jwt
    import paramiko
    import requests
    import yaml

    log = logging.getLogger(__name__)


    def fetch(url, password):
        log.info(f"fetching {url} with password={password}")
        return requests.get(url, verify=False)


    def settings(path):
        with open(path) as fh:
            return yaml.load(fh)


    def new_reset_code():
        reset_code = random.randint(100000, 999999)
        return reset_code


    def store(user, password):
        user.pw = hashlib.md5(password.encode()).hexdigest()


    def run(archive):
        subprocess.run(f"tar -xf {archive}", shell=True)


    def claims(token):
        return jwt.decode(token, options={"verify_signature": False})


    def ssh(host):
        c = paramiko.SSHClient()
        c.set_missing_host_key_policy(paramiko.AutoAddPolicy())
        ctx = ssl._create_unverified_context()
        return pickle.loads(sock.recv(65536)), ctx
''')

SAFE = textwrap.dedent('''\
    import hashlib
    import logging
    import secrets
    import subprocess

    import jwt
    import requests
    import yaml

    log = logging.getLogger(__name__)


    def fetch(url, password):
        log.info("fetching %s", url)
        return requests.get(url, verify="/etc/ssl/certs/internal-ca.pem")


    def settings(path):
        with open(path) as fh:
            return yaml.safe_load(fh)


    def new_reset_code():
        return secrets.randbelow(10**6)


    def checksum(path):
        with open(path, "rb") as fh:
            return hashlib.md5(fh.read(), usedforsecurity=False).hexdigest()


    def run(archive):
        subprocess.run(["tar", "-xf", archive], check=True)


    def claims(token, key):
        return jwt.decode(token, key, algorithms=["RS256"], audience="payments")


    def api_token():
        return secrets.token_urlsafe(32)
''')


def by_rule(findings):
    return {(f.rule_id, f.start_line) for f in findings}


def test_an_assistant_written_client_is_full_of_findings():
    found = by_rule(scan_insecure(APP, "payments/client.py"))
    assert found == {
        ("python-secret-in-log", 18),
        ("python-tls-verify-false", 19),
        ("python-yaml-unsafe-load", 24),
        ("python-insecure-random-token", 28),
        ("python-weak-hash-password", 33),
        ("python-subprocess-shell-injection", 37),
        ("python-jwt-no-verify", 41),
        ("python-paramiko-auto-add-policy", 46),
        ("python-ssl-unverified-context", 47),
        ("python-pickle-loads", 48),
    }


def test_the_safe_twin_has_no_findings():
    assert scan_insecure(SAFE, "payments/client.py") == []


def test_every_finding_says_what_to_do_and_cites_references():
    for f in scan_insecure(APP, "payments/client.py"):
        assert f.kind == "insecure" and f.severity == "medium"
        assert f.remediation and f.cwe and f.owasp and f.nist
        assert f.help_url.startswith("https://") and f.cwe[0].split("-")[1] in f.help_url


def fix_of(text, rule_id, path="app.py"):
    [f] = [f for f in scan_insecure(text, path) if f.rule_id == rule_id]
    [fix] = f.fixes
    fixed = apply_edits(text, fix.edits)
    assert not parse_bytes("python", fixed.encode()).root_node.has_error
    return fix, fixed


def test_random_choice_becomes_secrets_choice_with_the_import_after_docstring_and_future():
    text = textwrap.dedent('''\
        #!/usr/bin/env python3
        """Tokens."""
        from __future__ import annotations

        import random
        import string


        def new_token():
            return "".join(random.choice(string.ascii_letters) for _ in range(32))
    ''')
    fix, fixed = fix_of(text, "python-insecure-random-token")
    assert fix.safe
    assert fixed == text.replace("import random\n", "import secrets\nimport random\n").replace(
        "random.choice(", "secrets.choice("
    )
    assert [f.rule_id for f in scan_insecure(fixed, "app.py")] == []


def test_random_choice_fix_does_not_import_secrets_twice():
    text = "import secrets\nimport random\n\npassword = ''.join(random.choice(ABC) for _ in range(16))\n"
    _, fixed = fix_of(text, "python-insecure-random-token")
    assert fixed.count("import secrets") == 1 and "secrets.choice(ABC)" in fixed


def test_random_in_a_module_without_imports_gets_the_import_on_top():
    text = '"""doc"""\ntoken = random.choice(WORDS)\n'
    _, fixed = fix_of(text, "python-insecure-random-token")
    assert fixed == '"""doc"""\nimport secrets\ntoken = secrets.choice(WORDS)\n'


def test_randint_for_a_code_has_no_mechanical_fix_but_says_what_to_do():
    [f] = scan_insecure("otp_code = random.randint(0, 999999)\n", "a.py")
    assert f.fixes == () and "secrets" in f.remediation


def test_yaml_load_becomes_safe_load_but_an_explicit_loader_is_left_to_a_human():
    _, fixed = fix_of("import yaml\ncfg = yaml.load(stream)\n", "python-yaml-unsafe-load")
    assert fixed == "import yaml\ncfg = yaml.safe_load(stream)\n"
    [f] = scan_insecure("cfg = yaml.load(stream, Loader=yaml.Loader)\n", "a.py")
    assert f.fixes == ()


def test_verify_false_becomes_true():
    _, fixed = fix_of("r = httpx.get(url, verify=False, timeout=3)\n", "python-tls-verify-false")
    assert fixed == "r = httpx.get(url, verify=True, timeout=3)\n"


def test_django_settings_rules_apply_to_settings_files_only():
    text = "DEBUG = True\nALLOWED_HOSTS = ['*']\n"
    ids = {f.rule_id for f in scan_insecure(text, "mysite/settings.py")}
    assert ids == {"python-django-debug-true", "python-django-allowed-hosts-any"}
    assert {f.rule_id for f in scan_insecure(text, "mysite/settings/production.py")} == ids
    assert scan_insecure(text, "mysite/tests/test_views.py") == []


def test_secret_in_log_points_at_the_variable_and_never_shows_a_literal_secret():
    text = 'print(f"key={api_key} (fallback ghp_R4nd0mL00k1ngT0k3nV4lu3Xy9Qz)")\n'
    [f] = scan_insecure(text, "a.py")
    assert f.rule_id == "python-secret-in-log"
    assert text.splitlines()[0][f.start_col - 1 : f.end_col - 1] == "api_key"
    assert "R4nd0mL00k" not in f.preview and "api_key" in f.preview


def test_weak_hash_is_about_passwords_not_checksums():
    assert scan_insecure("etag = hashlib.md5(body).hexdigest()\n", "a.py") == []
    found = scan_insecure("def check_password(pw, stored):\n    return hashlib.sha1(pw).hexdigest() == stored\n", "a.py")
    assert [f.rule_id for f in found] == ["python-weak-hash-password"]


def test_world_writable_chmod_and_mktemp():
    text = "os.chmod('/srv/uploads', 0o777)\nos.chmod(key, 0o600)\nname = tempfile.mktemp()\n"
    assert by_rule(scan_insecure(text, "a.py")) == {
        ("python-chmod-world-writable", 1),
        ("python-tempfile-mktemp", 3),
    }


SESSIONS = textwrap.dedent('''\
    import json
    import pickle

    import redis

    redis_client = redis.Redis()


    def load_session(session_id):
        data = redis_client.get(f"session:{session_id}")
        if data is None:
            return None
        return pickle.loads(data)


    def cached_report(cache, key):
        return pickle.loads(cache.get(key))


    def load_preferences(cache, user_id):
        return json.loads(cache.get(f"prefs:{user_id}"))


    def snapshot(report):
        payload = pickle.dumps(report)
        return pickle.loads(payload)


    def load_local(path):
        raw = open(path, "rb").read()
        return pickle.loads(raw)
''')


def test_pickle_of_bytes_from_a_cache_is_a_finding_but_not_its_safe_twins():
    found = scan_insecure(SESSIONS, "app/sessions.py")
    assert by_rule(found) == {("python-pickle-loads", 13), ("python-pickle-loads", 17)}
    for f in found:
        line = SESSIONS.splitlines()[f.start_line - 1]
        assert line[f.start_col - 1 : f.end_col - 1] == "pickle.loads"
        assert "json" in f.remediation and f.cwe == ("CWE-502",)


def test_pickle_loads_of_json_or_its_own_dumps_is_not_a_finding():
    assert scan_insecure("obj = json.loads(cache.get(k))\n", "a.py") == []
    assert scan_insecure("def clone(o):\n    blob = pickle.dumps(o)\n    return pickle.loads(blob)\n", "a.py") == []


def pickle_findings(text):
    return [f.start_line for f in scan_insecure(text, "a.py") if f.rule_id == "python-pickle-loads"]


def test_pickle_sources_are_the_network_requests_shared_caches_and_queues():
    assert pickle_findings("async def h(request):\n    body = await request.body()\n    return pickle.loads(body)\n") == [3]
    assert pickle_findings("def serve(conn):\n    chunk = conn.recv(65536)\n    pickle.loads(chunk)\n") == [3]
    assert pickle_findings("def job(msg):\n    raw = base64.b64decode(msg['data'])\n    return pickle.loads(raw)\n") == [3]
    assert pickle_findings("upload = request.files['model']\nmodel = pickle.load(upload)\n") == [2]
    # a name that says nothing about where the bytes come from, and a file the program writes itself
    assert pickle_findings("def f(pickled_state):\n    return pickle.loads(pickled_state)\n") == []
    assert pickle_findings("def f():\n    with open(CACHE_FILE, 'rb') as fh:\n        return pickle.load(fh)\n") == []


def test_world_writable_stat_flags_are_findings_owner_only_flags_are_not():
    text = textwrap.dedent('''\
        import os
        import stat

        os.chmod(out, stat.S_IRWXU | stat.S_IRWXG | stat.S_IRWXO)
        os.chmod(sock, stat.S_IRUSR | stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
        os.chmod(path, os.stat(path).st_mode | stat.S_IWOTH)
        os.chmod(legacy, 0o777)
        os.chmod(key, stat.S_IRUSR | stat.S_IWUSR)
        os.chmod(home, stat.S_IRWXU)
        os.chmod(path, os.stat(path).st_mode & ~stat.S_IWOTH)
        os.chmod(bin_dir, stat.S_IRWXU | stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH)
    ''')
    found = [f for f in scan_insecure(text, "a.py") if f.rule_id == "python-chmod-world-writable"]
    assert [f.start_line for f in found] == [4, 5, 6, 7]
    first = text.splitlines()[3]
    assert first[found[0].start_col - 1 : found[0].end_col - 1] == "stat.S_IRWXU | stat.S_IRWXG | stat.S_IRWXO"
    assert "0o600" in found[0].remediation


def test_an_editor_document_finds_the_cached_pickle_once_the_source_line_says_cache():
    text = "import pickle\n\n\ndef load(key):\n    data = storage_for(key)\n    obj = pickle.loads(data)\n    return obj\n"
    ed = EditedDocument("app.py", text)
    assert ed.doc.findings() == []
    ed.replace("storage_for(key)", "redis_client.get(key)")
    assert [(f.rule_id, f.start_line) for f in ed.doc.findings()] == [("python-pickle-loads", 6)]
    fresh = scan_insecure(ed.text, "app.py")
    assert [f.with_(start_offset=0, end_offset=0) for f in fresh] == ed.doc.findings()
    ed.replace("redis_client.get(key)", "pickle.dumps(key)")
    assert ed.doc.findings() == []


MAILER = textwrap.dedent('''\
    import logging
    import os

    logger = logging.getLogger(__name__)


    def setup(cfg, db_pass, redis_pass, smtp_pass, i, n, first_pass, bypass):
        logger.info("smtp user %s", os.getenv("SMTP_USER"))
        logger.info("db pass %s", os.getenv("DB_PASS"))
        print(f"SMTP pass: {os.environ['SMTP_PASS']}")
        print("SMTP_PASS set:", bool(os.environ.get("SMTP_PASS")))
        print("SMTP_PASS set:", "SMTP_PASS" in os.environ)
        logging.debug("redis pass=%s", redis_pass)
        print(f"db: {db_pass}")
        logger.debug(
            "smtp login %s / %s",
            cfg.user,
            cfg.smtpPass,
        )
        print("using", cfg.SMTPPass)
        logger.info("pass %d of %d: first pass %s, bypass=%s", i, n, first_pass, bypass)
        print(f"{firstPass} {passed} {stats_pass}")
        logger.info("reading the SMTP password from %s", os.getenv("SMTP_PASS_FILE"))
        if len(smtp_pass) < 12:
            raise ValueError(f"bad smtp_pass {smtp_pass}")
        for attempt in range(3):
            pass
''')


def test_pass_named_secrets_in_python_logs_are_findings_and_their_twins_are_not():
    found = [f for f in scan_insecure(MAILER, "mail/setup.py") if f.rule_id == "python-secret-in-log"]
    lines = MAILER.splitlines()
    assert [(f.start_line, lines[f.start_line - 1][f.start_col - 1 : f.end_col - 1]) for f in found] == [
        (9, '"DB_PASS"'),
        (10, "'SMTP_PASS'"),
        (13, "redis_pass"),
        (14, "db_pass"),
        (18, "smtpPass"),
        (20, "SMTPPass"),
        (25, "smtp_pass"),
    ]
    assert all(f.cwe == ("CWE-532",) and "redacted" in f.remediation for f in found)


def test_pass_statements_bypass_and_passed_do_not_get_a_file_parsed_for_secret_logs():
    gate = default_ruleset()._gates["python"]
    ordinary = textwrap.dedent('''\
        import logging

        log = logging.getLogger(__name__)


        class Noop:
            def run(self, bypass, passed):
                for i in range(3):
                    pass
                log.info("pass %d: bypass=%s", i, bypass)
                print(f"{passed} passed, {self.compass}, {firstPass}")
                raise RuntimeError(f"pass {i} failed: {bypass}")
    ''')
    for pick in (gate.candidates, gate.automaton_candidates):
        assert "python-secret-in-log" not in [r.id for r in pick(ordinary, "a.py")]
        leaky = ordinary + '        log.info("smtp pass %s", os.environ["SMTP_PASS"])\n'
        assert "python-secret-in-log" in [r.id for r in pick(leaky, "a.py")]
        assert "python-secret-in-log" in [r.id for r in pick(ordinary + "        print(cfg.dbPass)\n", "a.py")]
    assert scan_insecure(ordinary, "a.py") == []


def test_an_editor_document_finds_the_smtp_password_once_the_user_becomes_the_pass():
    from spillguard.engine.insecure import InsecureDocument

    text = 'import os\n\n\ndef show():\n    print("smtp", os.environ["SMTP_USER"])\n'
    state = {"data": text.encode()}
    doc = InsecureDocument.open("app.py", lambda off, _pt: state["data"][off:])
    assert doc is not None and doc.findings() == []
    start = text.index("SMTP_USER") + len("SMTP_")
    row, col = 4, start - text.rindex("\n", 0, start) - 1
    state["data"] = text[:start].encode() + b"PASS" + text[start + 4 :].encode()
    doc.edit(start, start + 4, start + 4, (row, col), (row, col + 4), (row, col + 4))
    doc.update()
    assert [(f.rule_id, f.start_line) for f in doc.findings()] == [("python-secret-in-log", 5)]
    fresh = scan_insecure(state["data"].decode(), "app.py")
    assert [f.with_(start_offset=0, end_offset=0) for f in fresh] == doc.findings()
