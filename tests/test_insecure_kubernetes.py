"""Kubernetes manifests: privileged containers, privilege escalation, literal secrets."""

import json
import textwrap

from spillguard.engine.insecure import scan_insecure
from spillguard.engine.rulecheck import apply_edits


def k8s(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def found(text: str, path: str = "k8s/app.yaml") -> list[tuple[str, int]]:
    return [(f.rule_id, f.start_line) for f in scan_insecure(text, path)]


POD = k8s("""
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: api
      annotations:
        privileged: "true"
    spec:
      template:
        spec:
          containers:
            - name: api
              image: registry.example.com/api:1.4.2
              securityContext:
                privileged: true
                allowPrivilegeEscalation: true
            - name: sidecar
              image: registry.example.com/sidecar:2.0.1
              securityContext: {privileged: false, allowPrivilegeEscalation: false}
            - name: debug
              image: registry.example.com/toolbox:1.0
              securityContext: {privileged: true}
""")


def test_privileged_and_escalation_with_their_fixes():
    got = scan_insecure(POD, "deploy.yaml")
    assert [(f.rule_id, f.start_line) for f in got] == [
        ("k8s-privileged-container", 14),
        ("k8s-allow-privilege-escalation", 15),
        ("k8s-privileged-container", 21),
    ]
    fixed = POD
    for f in sorted(got, key=lambda f: -f.start_line):
        assert not f.fixes[0].safe
        fixed = apply_edits(fixed, f.fixes[0].edits)
    assert "privileged: false" in fixed and "allowPrivilegeEscalation: false" in fixed
    assert found(fixed) == []


SECRETS = k8s("""
    apiVersion: v1
    kind: Secret
    metadata:
      name: api-db
    type: Opaque
    stringData:
      username: api
      password: "pG8#vL2qWz9!rT4m"
      url: postgres://api:pG8vL2qWz9rT4m@db.internal:5432/api
      token: "${REGISTRY_TOKEN}"
    ---
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: cfg
    data:
      password_policy: strict
    ---
    apiVersion: batch/v1
    kind: Job
    metadata:
      name: report
    spec:
      template:
        spec:
          containers:
            - name: report
              image: registry.example.com/report:3.1.0
              env:
                - name: SMTP_PASSWORD
                  value: "smtp-Pa55word-2024"
                - name: SMTP_HOST
                  value: smtp.example.com
                - name: API_TOKEN
                  valueFrom:
                    secretKeyRef: {name: report, key: token}
""")


def test_literal_secrets_in_manifests_are_reported_redacted():
    got = scan_insecure(SECRETS, "k8s/secret.yaml")
    assert [(f.rule_id, f.start_line, f.name) for f in got] == [
        ("k8s-secret-literal-stringdata", 8, "PASSWORD"),
        ("k8s-secret-literal-stringdata", 9, "URL"),
        ("k8s-secret-literal-env", 31, "SMTP_PASSWORD"),
    ]
    out = json.dumps([f.to_dict() for f in got])
    assert "pG8#vL2qWz9!rT4m" not in out and "smtp-Pa55word-2024" not in out and "pG8vL2qWz9rT4m@" not in out


def test_not_kubernetes_yaml_is_not_checked_by_the_manifest_rules():
    compose = "services:\n  app:\n    environment:\n      - name: X\nstringData:\n  password: hunter2-Pass-99\n"
    assert found(compose, "docker-compose.yml") == []


def test_broken_yaml_never_raises():
    for text in ("apiVersion: v1\nkind: Pod\nspec: [\n  securityContext: {privileged: true\n", "\t- : :\n---\n", ""):
        assert isinstance(scan_insecure(text, "k8s/broken.yaml"), list)
