"""Shell insecure defaults: curl -k, wget --no-check-certificate, chmod 777, secrets echoed."""

from spillguard.engine.insecure import scan_insecure
from spillguard.engine.rulecheck import apply_edits


def found(text: str, path: str = "deploy.sh") -> list[tuple[str, int, int, int]]:
    return [(f.rule_id, f.start_line, f.start_col, f.end_col) for f in scan_insecure(text, path)]


def test_curl_insecure_flags_are_reported_where_they_are():
    text = "#!/bin/sh\ncurl -fsSL -k https://a.example.com/x -o x\ncurl --insecure https://b.example.com\n"
    assert found(text) == [("bash-curl-insecure", 2, 12, 14), ("bash-curl-insecure", 3, 6, 16)]


def test_curl_k_fix_removes_the_flag_but_combined_flags_get_no_fix():
    [f] = scan_insecure("curl -k https://a.example.com/x\n", "a.sh")
    [fix] = f.fixes
    assert not fix.safe  # a private CA may need --cacert: a human looks first
    assert apply_edits("curl -k https://a.example.com/x\n", fix.edits) == "curl  https://a.example.com/x\n"
    [combined] = scan_insecure("curl -fsSLk https://a.example.com/x\n", "a.sh")
    assert combined.rule_id == "bash-curl-insecure" and combined.fixes == ()


def test_curl_safe_twins_are_not_findings():
    text = (
        "curl -fsSL https://a.example.com/i.sh -o /tmp/i.sh\n"
        "curl --cacert /etc/ssl/ca.pem https://internal.example.com\n"
        "curl -o k https://a.example.com/f\n"
        "echo 'curl -k is bad'\n"
        "wget -k https://a.example.com/page.html\n"
    )
    assert found(text) == []


def test_wget_no_check_certificate_and_its_fix():
    text = "wget -q --no-check-certificate -O jq https://a.example.com/jq\n"
    [f] = scan_insecure(text, "install.bash")
    assert (f.rule_id, f.start_line, f.start_col) == ("bash-wget-no-check-certificate", 1, 9)
    assert apply_edits(text, f.fixes[0].edits) == "wget -q  -O jq https://a.example.com/jq\n"
    assert found("wget --ca-certificate=/etc/ssl/ca.pem https://a.example.com\n") == []


def test_chmod_777_variants_and_the_symbolic_fix():
    text = "chmod 777 /srv\nchmod -R 0777 /var/log/app\nchmod a+rwx /x\nchmod 755 /srv\nchmod 1777 /tmp/s\n"
    assert [r[:2] for r in found(text)] == [("bash-chmod-777", 1), ("bash-chmod-777", 2), ("bash-chmod-777", 3)]
    assert [r[:2] for r in found("sudo chmod 777 /var/run/docker.sock\nsudo chmod 660 /x\n")] == [
        ("bash-chmod-777", 1)
    ]
    f = scan_insecure("chmod -R 777 /srv\n", "a.sh")[0]
    assert apply_edits("chmod -R 777 /srv\n", f.fixes[0].edits) == "chmod -R u=rwX,go=rX /srv\n"


def test_secret_echoed_points_at_the_variable():
    text = 'set -e\necho "Using deploy token: $DEPLOY_TOKEN"\nprintf \'%s\\n\' "$DB_PASSWORD"\n'
    got = scan_insecure(text, "deploy.sh")
    assert [(f.rule_id, f.start_line, f.start_col, f.end_col, f.name) for f in got] == [
        ("bash-secret-echoed", 2, 27, 40, "DEPLOY_TOKEN"),
        ("bash-secret-echoed", 3, 16, 28, "DB_PASSWORD"),
    ]
    assert got[0].cwe == ("CWE-532",) and got[0].severity == "high"


def test_secret_echoed_safe_twins():
    text = "\n".join([
        'echo "Deploying $APP_NAME"',
        'echo "$REGISTRY_PASSWORD" | docker login -u ci --password-stdin registry.example.com',
        'printf "%s" "$DEPLOY_TOKEN" > "$HOME/.token"',
        'echo "//npm.example.com/:_authToken=${NPM_TOKEN}" >> ~/.npmrc',
        'echo "password set: ${DB_PASSWORD:+yes}"',
        'echo "length ${#API_TOKEN}"',
        'echo "token file: $DEPLOY_TOKEN_FILE"',
        'AUTH=$(echo -n "ci:$REGISTRY_PASSWORD" | base64)',
        'curl -H "Authorization: Bearer $API_TOKEN" https://api.example.com',
        'export PGPASSWORD="$POSTGRES_PASSWORD"',
        'echo "SECRET_KEY_BASE provided"',
    ]) + "\n"
    assert found(text) == []


def test_secret_echoed_to_stderr_or_reencoded_is_still_printed():
    text = 'echo "$GITHUB_TOKEN" >&2\necho "$AWS_SECRET_ACCESS_KEY" | base64\n'
    assert [r[:2] for r in found(text)] == [("bash-secret-echoed", 1), ("bash-secret-echoed", 2)]


def test_only_shell_files_are_checked():
    assert found("curl -k https://a.example.com\n", "notes.txt") == []
    assert found("curl -k https://a.example.com\n", "setup.zsh")[0][0] == "bash-curl-insecure"
