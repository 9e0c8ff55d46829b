"""JavaScript and TypeScript insecure defaults: one rule set, three grammars."""

import textwrap

import pytest

from spillguard.engine.insecure import scan_insecure
from spillguard.engine.parsing import language_for_path, parse_bytes
from spillguard.engine.rulecheck import apply_edits

SERVER = textwrap.dedent("""\
    const express = require('express');
    const session = require('express-session');
    const cors = require('cors');
    const crypto = require('crypto');
    const https = require('https');
    const jwt = require('jsonwebtoken');
    const { exec } = require('child_process');

    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
    const app = express();
    app.use(cors({ origin: '*', credentials: true }));
    app.use(session({ secret: 'keyboard cat', cookie: { secure: false } }));
    const agent = new https.Agent({ rejectUnauthorized: false });

    function authenticate(req, res, next) {
      req.user = jwt.decode(req.headers.authorization);
      next();
    }

    function newResetToken() {
      return Math.random().toString(36).slice(2);
    }

    function store(user, password) {
      user.hash = crypto.createHash('md5').update(password).digest('hex');
      console.log(`stored password for ${user.email}: ${password}`);
    }

    app.get('/run', (req, res) => {
      exec(`convert ${req.query.file} out.png`);
      res.send(String(eval(req.query.expr)));
    });
""")

EXPECTED = {
    ("js-node-tls-reject-unauthorized-env", 9),
    ("js-cors-any-origin-with-credentials", 11),
    ("js-session-literal-secret", 12),
    ("js-cookie-secure-false", 12),
    ("js-tls-reject-unauthorized-false", 13),
    ("js-jwt-decode-without-verify", 16),
    ("js-insecure-random-token", 21),
    ("js-weak-hash-password", 25),
    ("js-secret-in-log", 26),
    ("js-child-process-exec-interpolated", 30),
    ("js-eval-input", 31),
}

SAFE = textwrap.dedent("""\
    const app = express();
    app.use(cors({ origin: ['https://app.example.com'], credentials: true }));
    app.use(session({ secret: process.env.SESSION_SECRET, cookie: { secure: true, httpOnly: true } }));
    const agent = new https.Agent({ ca: fs.readFileSync('internal-ca.pem') });

    function authenticate(req, res, next) {
      req.user = jwt.verify(token, publicKey, { algorithms: ['RS256'] });
      next();
    }

    function newResetToken() {
      return crypto.randomBytes(32).toString('base64url');
    }

    async function store(user, password) {
      user.hash = await bcrypt.hash(password, 12);
      console.log(`stored password for ${user.email}`);
    }

    app.get('/run', (req, res) => {
      execFile('convert', [req.query.file, 'out.png']);
      res.send(String(JSON.parse(req.query.expr)));
    });
""")


@pytest.mark.parametrize("path", ["server.js", "server.mjs", "server.ts", "server.tsx", "server.jsx"])
def test_an_assistant_written_express_server_in_every_grammar(path):
    found = {(f.rule_id, f.start_line) for f in scan_insecure(SERVER, path)}
    assert found == EXPECTED, language_for_path(path)


@pytest.mark.parametrize("path", ["server.js", "server.ts", "server.tsx"])
def test_the_safe_twin_has_no_findings(path):
    assert scan_insecure(SAFE, path) == []


def test_typescript_type_annotations_do_not_hide_findings():
    text = textwrap.dedent("""\
        import * as https from 'https';
        const agent: https.Agent = new https.Agent({ rejectUnauthorized: false } as https.AgentOptions);
        export function makeToken(len: number): string {
          return Array.from({ length: len }, (): string => Math.random().toString(36)[2]).join('');
        }
        class Auth {
          private log(msg: string): void {}
          check(apiKey: string): void { console.log(`key=${apiKey}`); }
        }
    """)
    found = {(f.rule_id, f.start_line) for f in scan_insecure(text, "auth.ts")}
    assert found == {
        ("js-tls-reject-unauthorized-false", 2),
        ("js-insecure-random-token", 4),
        ("js-secret-in-log", 8),
    }


@pytest.mark.parametrize("path", ["a.js", "a.ts", "a.tsx"])
def test_reject_unauthorized_fix_turns_checks_back_on_and_parses(path):
    text = "const agent = new https.Agent({ rejectUnauthorized: false });\n"
    [f] = scan_insecure(text, path)
    [fix] = f.fixes
    fixed = apply_edits(text, fix.edits)
    assert fix.safe and fixed == text.replace("false", "true")
    assert not parse_bytes(language_for_path(path), fixed.encode()).root_node.has_error
    assert scan_insecure(fixed, path) == []


def test_the_literal_session_secret_is_redacted_and_the_fix_needs_review():
    secret = "s3ss10n-S3cr3t-v4lue-9xQz"
    text = f"app.use(session({{ secret: '{secret}', resave: false }}));\n"
    [f] = scan_insecure(text, "app.js")
    assert f.rule_id == "js-session-literal-secret"
    assert secret not in f.preview and secret[:8] not in f.preview
    assert secret not in str(f.to_dict())
    [fix] = f.fixes
    assert not fix.safe and apply_edits(text, fix.edits) == text.replace(f"'{secret}'", "process.env.SESSION_SECRET")


def test_regexp_exec_and_nodemailer_secure_false_are_not_findings():
    text = "const m = /(\\d+)/.exec(`${a}`);\nconst t = nodemailer.createTransport({ port: 587, secure: false });\n"
    assert scan_insecure(text, "a.js") == []


MAILER = textwrap.dedent("""\
    function mailer() {
      console.log(`SMTP user: ${process.env.SMTP_USER}`);
      console.log(`SMTP password: ${process.env.SMTP_PASS}`);
      console.log('SMTP_PASS is set:', Boolean(process.env.SMTP_PASS));
      logger.debug(`db login ${process.env['DB_USER']} / ${process.env['DB_PASS']}`);
      console.log(`first pass took ${firstPass} ms, bypass=${bypass}`);
      return { user: process.env.SMTP_USER, pass: process.env.SMTP_PASS };
    }
""")


@pytest.mark.parametrize("path", ["mail.js", "mail.ts", "mail.tsx"])
def test_a_secret_named_env_var_in_a_log_template_is_a_finding(path):
    found = [f for f in scan_insecure(MAILER, path) if f.rule_id == "js-secret-in-log"]
    assert [f.start_line for f in found] == [3, 5]
    lines = MAILER.splitlines()
    assert [lines[f.start_line - 1][f.start_col - 1 : f.end_col - 1] for f in found] == ["SMTP_PASS", "'DB_PASS'"]
    assert all(f.cwe == ("CWE-532",) for f in found)
