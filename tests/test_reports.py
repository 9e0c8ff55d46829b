"""The three output formats: structure, positions, and that no report holds a secret in full."""

from __future__ import annotations

import json

from spillguard.engine.context import Context
from spillguard.engine.findings import fingerprint, redact
from spillguard.engine.project import scan_paths
from spillguard.report import json_report, sarif, text


def _result(tmp_path, github_token):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "config.py").write_text(f'import os\n\nGITHUB_TOKEN = "{github_token}"\n')
    return scan_paths([tmp_path], Context.build(tmp_path), jobs=1)


def test_redact_shows_at_most_four_characters():
    assert redact("ghp_abcdefghijklmnop") == "ghp_…[20 chars]"
    assert redact("abcdef") == "ab…[6 chars]"
    assert redact("") .startswith("…")


def test_fingerprint_is_keyed_and_stable():
    assert fingerprint("s3cr3t-value") == fingerprint("s3cr3t-value")
    assert fingerprint("s3cr3t-value") != fingerprint("s3cr3t-value", key=b"team-key")
    assert "s3cr3t" not in fingerprint("s3cr3t-value")


def test_json_report(tmp_path, github_token):
    doc = json.loads(json_report.render(_result(tmp_path, github_token)))
    assert doc["summary"]["findings"] == 1 and doc["summary"]["secrets"] == 1
    f = doc["findings"][0]
    assert f["rule"] == "github-pat" and f["path"] == "app/config.py"
    assert f["start"] == {"line": 3, "column": 17} and f["end"] == {"line": 3, "column": 57}
    assert f["validated"] is True and f["severity"] == "critical"
    assert f["fingerprint"].startswith("sg1:") and "CWE-798" in f["references"]["cwe"]
    assert github_token not in json.dumps(doc) and github_token[:5] not in json.dumps(doc)


def test_sarif_report(tmp_path, github_token):
    doc = json.loads(sarif.render(_result(tmp_path, github_token)))
    assert doc["version"] == "2.1.0"
    run = doc["runs"][0]
    rule = run["tool"]["driver"]["rules"][0]
    assert rule["id"] == "github-pat" and rule["helpUri"]
    assert "external/cwe/cwe-798" in rule["properties"]["tags"]
    res = run["results"][0]
    assert res["ruleId"] == "github-pat" and res["level"] == "error"
    loc = res["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "app/config.py"
    assert loc["region"] == {"startLine": 3, "startColumn": 17, "endLine": 3, "endColumn": 57}
    assert res["partialFingerprints"]["spillguard/v1"].startswith("sg1:")
    assert github_token not in json.dumps(doc)


def test_text_report(tmp_path, github_token):
    result = _result(tmp_path, github_token)
    out = text.render(result)
    assert out.splitlines()[0].startswith("app/config.py:3:17: CRITICAL [github-pat]")
    assert "ghp_…[40 chars]" in out and github_token not in out
    assert "\x1b[" not in out
    assert "\x1b[" in text.render(result, colour=True)


def test_text_report_shows_spread(tmp_path, github_token):
    (tmp_path / "a.py").write_text(f'T = "{github_token}"\n')
    (tmp_path / "b.sh").write_text(f"export T={github_token}\n")
    out = text.render(scan_paths([tmp_path], Context.build(tmp_path), jobs=1))
    assert "is in 2 places: a.py:1, b.sh:1" in out and github_token not in out


def test_sarif_carries_the_exact_fixes_of_insecure_defaults(tmp_path):
    """A SARIF consumer can apply the same edits the language server offers: replacing the
    deleted region with the inserted text yields the fixed file."""
    src = "import requests\n\nr = requests.get(url, verify=False)\n"
    (tmp_path / "client.py").write_text(src)
    doc = json.loads(sarif.render(scan_paths([tmp_path], Context.build(tmp_path), jobs=1)))
    (res,) = [r for r in doc["runs"][0]["results"] if r["ruleId"] == "python-tls-verify-false"]
    (fix,) = res["fixes"]
    assert fix["description"]["text"] and fix["properties"]["safe"] is True
    (change,) = fix["artifactChanges"]
    assert change["artifactLocation"]["uri"] == "client.py"
    lines = src.split("\n")
    for rep in change["replacements"]:
        region = rep["deletedRegion"]
        assert region["startLine"] == region["endLine"]
        line = lines[region["startLine"] - 1]
        lines[region["startLine"] - 1] = (line[: region["startColumn"] - 1] + rep["insertedContent"]["text"]
                                          + line[region["endColumn"] - 1:])
    assert "\n".join(lines) == "import requests\n\nr = requests.get(url, verify=True)\n"


def test_sarif_secret_results_carry_no_fixes(tmp_path, github_token):
    doc = json.loads(sarif.render(_result(tmp_path, github_token)))
    assert all("fixes" not in r for r in doc["runs"][0]["results"])
