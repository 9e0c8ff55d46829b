"""Dockerfile insecure defaults: secrets in ARG/ENV, COPY .env, curl | sh."""

import json
import re

import pytest

from spillguard.engine.findings import TextEdit
from spillguard.engine.insecure import InsecureDocument, scan_insecure
from spillguard.engine.parsing import parse_bytes
from spillguard.engine.rulecheck import apply_edits


def found(text: str, path: str = "Dockerfile") -> list[tuple[str, int]]:
    return [(f.rule_id, f.start_line) for f in scan_insecure(text, path)]


def test_secret_build_args_and_env_are_reported_per_variable():
    text = (
        "FROM node:20\n"
        "ARG NODE_VERSION=20\n"
        "ARG NPM_TOKEN\n"
        "ENV NODE_ENV=production\n"
        "ENV AWS_ACCESS_KEY_ID=AKIAQ4JX7WORKERZ2K5M \\\n"
        "    AWS_SECRET_ACCESS_KEY=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\n"
    )
    got = scan_insecure(text, "Dockerfile")
    assert [(f.rule_id, f.start_line, f.name) for f in got] == [
        ("dockerfile-secret-arg-env", 3, "NPM_TOKEN"),
        ("dockerfile-secret-arg-env", 5, "AWS_ACCESS_KEY_ID"),
        ("dockerfile-secret-arg-env", 6, "AWS_SECRET_ACCESS_KEY"),
    ]
    assert "--mount=type=secret" in got[0].remediation


def test_literal_values_never_reach_the_report():
    secret = "0a8f3c1e9b7d5f2a4c6e8b0d2f4a6c8e0b2d4f6a8c0e2b4d6f8a0c2e4b6d8f0a"
    for text in (f"ARG SECRET_KEY_BASE={secret}\n", f"ENV SECRET_KEY_BASE {secret}\n"):
        [f] = scan_insecure(text, "Dockerfile")
        assert f.rule_id == "dockerfile-secret-arg-env"
        out = json.dumps(f.to_dict())
        assert secret not in out and secret[:8] not in out


def test_safe_twins():
    text = (
        "FROM python:3.13\n"
        "ENV GPG_KEY=7169605F62C751356D054A26A821E680E5FA6305\n"
        "ENV PYTHON_SHA256=9cf9427bee9e2242e3877dd0f6b641c1853ca461f39d6503ce260a59c80bf0d9\n"
        "ENV OPENAI_API_KEY=\"\"\n"
        "ENV DATABASE_PASSWORD_FILE=/run/secrets/db_password\n"
        "ARG BUILDKIT_INLINE_CACHE=1\n"
        "RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci\n"
        "COPY .env.example ./.env.example\n"
        "RUN curl -fsSL https://example.com/i.sh -o /tmp/i.sh && sha256sum -c /tmp/i.sha256 && sh /tmp/i.sh\n"
        "RUN curl -fsSL https://example.com/a.tar.gz | tar -xz -C /opt\n"
    )
    assert found(text) == []


def test_copy_env_file_reports_the_source_not_the_destination():
    text = "FROM ruby:3.3\nCOPY config/.env.production /rails/.env\nADD .env /app/\n"
    got = scan_insecure(text, "Dockerfile")
    assert [(f.rule_id, f.start_line, f.start_col) for f in got] == [
        ("dockerfile-copy-env-file", 2, 6),
        ("dockerfile-copy-env-file", 3, 5),
    ]


def test_curl_pipe_shell():
    text = "FROM debian\nRUN apt-get update && \\\n    curl -sL https://deb.example.com/setup | sudo -E bash -\n"
    assert found(text, "api.Dockerfile") == [("dockerfile-curl-pipe-shell", 3)]
    assert found("FROM debian\nRUN wget -qO- https://get.example.com/s.sh | sh\n", "Dockerfile.prod") == [
        ("dockerfile-curl-pipe-shell", 2)
    ]


def test_tls_checks_turned_off_in_run_point_at_the_flag():
    text = (
        "FROM ubuntu:22.04\n"
        "RUN apt-get update && \\\n"
        "    curl -k -o /opt/app.jar https://artifacts.internal.example.com/app.jar\n"
        "RUN wget -q --no-check-certificate -O /opt/a.jar https://artifacts.internal.example.com/a.jar\n"
        "RUN curl --cacert /etc/ssl/ca.pem -o /opt/c.tgz https://config.internal.example.com/c.tgz\n"
    )
    got = [(f.rule_id, f.start_line, f.start_col, f.end_col) for f in scan_insecure(text, "Dockerfile")]
    assert got == [
        ("dockerfile-tls-verify-disabled", 3, 10, 12),
        ("dockerfile-tls-verify-disabled", 4, 13, 35),
    ]


# ---- the fix: ARG secret → RUN --mount=type=secret,env= ---------------------

RULE = "dockerfile-secret-arg-env"
MOUNT = " --mount=type=secret,id=npm_token,env=NPM_TOKEN"


def arg_fixes(text: str) -> list:
    """The fixes of each ARG/ENV finding, in order."""
    return [f.fixes for f in scan_insecure(text, "Dockerfile") if f.rule_id == RULE]


def fixed_by(text: str) -> str:
    """Apply the first finding's fix; the result must parse and hold no finding of the rule."""
    [fix] = next(fx for fx in arg_fixes(text) if fx)
    out = apply_edits(text, fix.edits)
    assert not parse_bytes("dockerfile", (out if out.endswith("\n") else out + "\n").encode()).root_node.has_error
    assert [f for f in scan_insecure(out, "Dockerfile") if f.rule_id == RULE] == []
    return out


def test_single_stage_exact_edits_title_and_not_safe():
    text = "FROM node:20\nARG NPM_TOKEN\nRUN npm ci\n"
    [(fix,)] = arg_fixes(text)
    assert fix.edits == (
        TextEdit(0, 0, 0, 0, "# syntax=docker/dockerfile:1\n"),
        TextEdit(1, 0, 2, 0, ""),
        TextEdit(2, 3, 2, 3, MOUNT),
    )
    assert fix.title == "Pass NPM_TOKEN as a BuildKit secret, then build with --secret id=npm_token,env=NPM_TOKEN"
    assert fix.safe is False  # the build now needs --secret: never applied by fixAll
    assert fixed_by(text) == (
        "# syntax=docker/dockerfile:1\nFROM node:20\nRUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci\n"
    )
    [f] = scan_insecure(text, "Dockerfile")
    assert "docker build --secret id=npm_token,env=NPM_TOKEN" in f.remediation


def test_every_run_after_the_arg_gets_the_mount_in_any_form():
    # RUNs before the ARG never saw it; after it, each one had it in its environment
    # (npm reads NPM_TOKEN without a `$NPM_TOKEN` on the line), whatever its form.
    text = (
        "FROM node:20\n"
        "RUN apt-get update\n"
        "ARG NPM_TOKEN\n"
        "RUN npm ci\n"
        'RUN ["npm", "run", "build"]\n'
        "RUN \\\n"
        "    --mount=type=cache,target=/root/.npm \\\n"
        '    npm test --token="${NPM_TOKEN}"\n'
        "RUN --network=none npm run lint\n"
        "RUN <<EOF\nnpm pack\nEOF\n"
    )
    assert fixed_by(text) == (
        "# syntax=docker/dockerfile:1\n"
        "FROM node:20\n"
        "RUN apt-get update\n"
        f"RUN{MOUNT} npm ci\n"
        f'RUN{MOUNT} ["npm", "run", "build"]\n'
        f"RUN{MOUNT} \\\n"
        "    --mount=type=cache,target=/root/.npm \\\n"
        '    npm test --token="${NPM_TOKEN}"\n'
        f"RUN{MOUNT} --network=none npm run lint\n"
        f"RUN{MOUNT} <<EOF\nnpm pack\nEOF\n"
    )


def test_a_run_that_already_mounts_the_secret_is_left_alone():
    text = (
        "# syntax=docker/dockerfile:1.10\n"
        "FROM node:20\n"
        "ARG NPM_TOKEN\n"
        "RUN --mount=type=secret,id=npm,env=NPM_TOKEN npm ci\n"
        "RUN --mount=type=secret,id=other,target=/run/secrets/npm_token npm test\n"
    )
    [(fix,)] = arg_fixes(text)
    assert fix.edits == (TextEdit(2, 0, 3, 0, ""), TextEdit(4, 3, 4, 3, MOUNT))


def test_multi_stage_scopes_and_a_global_arg():
    # A global ARG reaches RUN only through a stage's own `ARG NPM_TOKEN`; a stage
    # built FROM another does not inherit its ARGs. Both findings carry the same fix.
    text = (
        "ARG NPM_TOKEN\n"
        "FROM node:20 AS deps\n"
        "ARG NPM_TOKEN\n"
        "RUN npm ci\n"
        "FROM deps AS test\n"
        "RUN npm test\n"
        "FROM node:20-slim\n"
        "ARG NPM_TOKEN\n"
        "RUN npm publish\n"
    )
    fixes = arg_fixes(text)
    assert len(fixes) == 3 and fixes[0] == fixes[1] == fixes[2]
    [fix] = fixes[0]
    assert fix.edits[0] == TextEdit(0, 0, 1, 0, "# syntax=docker/dockerfile:1\n")  # insert + delete at (0, 0): one edit
    assert fixed_by(text) == (
        "# syntax=docker/dockerfile:1\n"
        "FROM node:20 AS deps\n"
        f"RUN{MOUNT} npm ci\n"
        "FROM deps AS test\n"
        "RUN npm test\n"
        "FROM node:20-slim\n"
        f"RUN{MOUNT} npm publish\n"
    )


def test_a_global_arg_no_stage_declares_has_nothing_to_move():
    assert arg_fixes("ARG NPM_TOKEN\nFROM node:20\nRUN npm ci\n") == [()]
    assert arg_fixes("FROM node:20\nRUN npm ci\nARG NPM_TOKEN\n") == [()]


@pytest.mark.parametrize(("directive", "offered"), [
    ("# syntax=docker/dockerfile:1\n", True),
    ("# syntax=docker/dockerfile:1.10\n", True),
    ("# syntax=docker/dockerfile:1.12.1-labs\n", True),
    ("# syntax = docker.io/docker/dockerfile:1@sha256:" + "ab" * 32 + "\n", True),
    ("# syntax=docker/dockerfile:1.4\n", False),  # `env=` is 1.10+: the build would fail
    ("# syntax=docker/dockerfile:1.7.1\n", False),
    ("# syntax=example.com/custom/frontend:2\n", False),
    ("# escape=`\n", False),
])
def test_a_syntax_directive_is_kept_and_must_know_env_mounts(directive: str, offered: bool):
    text = directive + "FROM node:20\nARG NPM_TOKEN\nRUN npm ci\n"
    [fixes] = arg_fixes(text)
    assert bool(fixes) is offered
    if offered:
        out = fixed_by(text)
        assert out.startswith(directive) and out.count("syntax") == 1


def test_a_comment_before_the_directive_makes_it_plain_text():
    text = "# build me\n# syntax=docker/dockerfile:1.4\nFROM node:20\nARG NPM_TOKEN\nRUN npm ci\n"
    assert fixed_by(text).startswith("# syntax=docker/dockerfile:1\n# build me\n")


def test_a_literal_default_goes_with_its_line_and_never_shows():
    secret = "npm_Zq8XwL3kT9vB2nM5cR7yA1sD4fG6hJ0pQ"
    text = f"FROM node:20\nARG NPM_TOKEN={secret}\nRUN npm ci\n"
    [f] = scan_insecure(text, "Dockerfile")
    [fix] = f.fixes
    assert "rotate" in fix.title
    for shown in (fix.title, f.title, f.remediation, f.preview, json.dumps(f.to_dict()["fixes"])):
        assert secret not in shown and secret[4:12] not in shown
    assert secret not in fixed_by(text)


@pytest.mark.parametrize("text", [
    "FROM node:20\nARG NPM_TOKEN\nENV NPM_TOKEN=$NPM_TOKEN\nRUN npm ci\n",  # ENV chain: kept in the image
    "FROM node:20\nARG NPM_TOKEN\nENV NPM_CONFIG_TOKEN=${NPM_TOKEN}\nRUN npm ci\n",
    "FROM node:20\nARG NPM_TOKEN\nLABEL token=$NPM_TOKEN\nRUN npm ci\n",
    "ARG NPM_TOKEN\nFROM registry.example.com/${NPM_TOKEN}/node:20\nARG NPM_TOKEN\nRUN npm ci\n",
    "FROM node:20\nARG NPM_TOKEN\nARG REGISTRY_URL=https://$NPM_TOKEN@npm.example.com/\nRUN npm ci\n",
    "FROM node:20\nARG NPM_TOKEN\nONBUILD RUN echo $NPM_TOKEN\nRUN npm ci\n",
    "FROM node:20\nARG NPM_TOKEN\nRUN <<EOF\necho ${NPM_TOKEN} > .npmrc\nEOF\n",  # heredoc: BuildKit may expand it
    "FROM node:20\nARG NPM_TOKEN\nRUN npm ci\nRUN echo 'unterminated\n(\n",  # does not parse
])
def test_not_offered_where_a_mount_cannot_serve_the_value(text: str):
    found_arg = [fx for f in scan_insecure(text, "Dockerfile") if f.rule_id == RULE
                 and f.preview.startswith("ARG NPM_TOKEN") for fx in [f.fixes]]
    assert found_arg and all(fx == () for fx in found_arg)


def test_env_findings_never_get_the_fix():
    # the running container may read an ENV: a build secret would silently drop it
    assert arg_fixes("FROM node:20\nENV NPM_TOKEN=npm-7731-aa90-prod\nRUN npm ci\n") == [()]


def test_a_file_without_a_final_newline():
    assert fixed_by("FROM node:20\nARG NPM_TOKEN\nRUN npm ci") == (
        f"# syntax=docker/dockerfile:1\nFROM node:20\nRUN{MOUNT} npm ci"
    )


def test_editor_document_recomputes_the_fix_after_edits_elsewhere():
    """An edit far from the ARG (a RUN added, a line inserted at the top) changes
    its fix: the document must give the fix a fresh scan gives."""
    text = "FROM node:20\nARG NPM_TOKEN\nRUN npm ci\n\n\nCMD [\"node\", \"index.js\"]\n"
    buf = _Buffer(text)
    doc = InsecureDocument.open("Dockerfile", buf.read)
    assert doc is not None
    for before, insert in (("CMD", "RUN npm run build\n"), ("FROM", "# syntax=docker/dockerfile:1\n"),
                           ("ARG", "RUN npm --version\n")):
        doc.edit(*buf.insert(buf.text.index(before), insert))
        doc.update()
        assert [f.fixes for f in doc.findings()] == [f.fixes for f in scan_insecure(buf.text, "Dockerfile")]
    [(fix,)] = [f.fixes for f in doc.findings()]
    assert apply_edits(buf.text, fix.edits) == (
        "# syntax=docker/dockerfile:1\nFROM node:20\nRUN npm --version\n"
        f"RUN{MOUNT} npm ci\n\n\nRUN{MOUNT} npm run build\nCMD [\"node\", \"index.js\"]\n"
    )


class _Buffer:
    def __init__(self, text: str) -> None:
        self.text = text

    def read(self, offset: int, _point: tuple[int, int]) -> bytes:
        return self.text.encode()[offset : offset + 5]

    def insert(self, at: int, new: str) -> tuple:
        before = self.text[:at].encode()
        row, col = before.count(b"\n"), len(before) - (before.rfind(b"\n") + 1)
        self.text = self.text[:at] + new + self.text[at:]
        nl = new.count("\n")
        end = (row + nl, len(new.encode()) - (new.rfind("\n") + 1) if nl else col + len(new.encode()))
        return len(before), len(before), len(before) + len(new.encode()), (row, col), (row, col), end


@pytest.mark.parametrize(("fix", "message"), [
    ('kind = "rewrite-everything"\ntitle = "x"', "kind must be one of secret-mount"),
    ('kind = "secret-mount"\ntitle = "x"\nreplace = "y"', "takes no 'replace'"),
    ('kind = "secret-mount"\ntitle = "Use {secret}"', "may use only {name} and {id}"),
])
def test_fix_kinds_are_checked_when_rules_load(tmp_path, fix: str, message: str):
    from spillguard.engine.insecure_rules import parse_insecure_rule
    from spillguard.engine.rules import RuleError

    rule = tmp_path / "r.toml"
    rule.write_text(
        'id = "r"\nlanguage = "dockerfile"\ntitle = "t"\nkeywords = ["token"]\n'
        "query = '(arg_instruction name: (_) @name) @finding'\n"
        f"[fix]\n{fix}\n"
    )
    with pytest.raises(RuleError, match=re.escape(message)):
        parse_insecure_rule(rule)


def test_crlf_files_keep_their_line_breaks():
    assert fixed_by("FROM node:20\r\nARG NPM_TOKEN\r\nRUN npm ci\r\n") == (
        f"# syntax=docker/dockerfile:1\r\nFROM node:20\r\nRUN{MOUNT} npm ci\r\n"
    )


def test_every_rule_example_with_a_fix_is_fully_fixed():
    # `rules --check` does not re-scan after unsafe fixes; this does, for this rule's examples.
    from spillguard.engine.insecure_rules import load_insecure_rules

    [rule] = [r for r in load_insecure_rules() if r.id == RULE]
    offered = 0
    for ex in rule.examples_match:
        for f in scan_insecure(ex, "Dockerfile"):
            for fix in f.fixes:
                offered += 1
                out = apply_edits(ex, fix.edits)
                assert not parse_bytes("dockerfile", (out + "\n").encode()).root_node.has_error, ex
                assert [g for g in scan_insecure(out, "Dockerfile") if g.rule_id == RULE] == [], ex
    assert offered >= 4  # three ARG examples of one fixed file plus the single-stage one
