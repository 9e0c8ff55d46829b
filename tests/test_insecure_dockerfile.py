"""Dockerfile insecure defaults: secrets in ARG/ENV, COPY .env, curl | sh."""

import json

from spillguard.engine.insecure import scan_insecure


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
