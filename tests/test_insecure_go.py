"""Go insecure defaults."""

import textwrap

from spillguard.engine.insecure import scan_insecure
from spillguard.engine.parsing import parse_bytes
from spillguard.engine.rulecheck import apply_edits

CLIENT = textwrap.dedent("""\
    package auth

    import (
    \t"crypto/md5"
    \t"crypto/tls"
    \t"fmt"
    \t"log"
    \t"math/rand"
    \t"net/http"
    )

    func Client() *http.Client {
    \ttr := &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}
    \treturn &http.Client{Transport: tr}
    }

    func HashPassword(password string) string {
    \treturn fmt.Sprintf("%x", md5.Sum([]byte(password)))
    }

    func NewSessionToken() string {
    \tb := make([]byte, 32)
    \tfor i := range b {
    \t\tb[i] = letters[rand.Intn(len(letters))]
    \t}
    \tlog.Printf("issued token %s", string(b))
    \treturn string(b)
    }

    func Login(user, password string) {
    \tlog.Printf("login %s with password %s", user, password)
    }
""")

SAFE = textwrap.dedent("""\
    package auth

    import (
    \t"crypto/rand"
    \t"crypto/tls"
    \t"encoding/base64"
    \t"log"

    \t"golang.org/x/crypto/bcrypt"
    )

    var cfg = &tls.Config{MinVersion: tls.VersionTLS12, RootCAs: pool}

    func HashPassword(password string) ([]byte, error) {
    \treturn bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
    }

    func NewSessionToken() (string, error) {
    \tb := make([]byte, 32)
    \tif _, err := rand.Read(b); err != nil {
    \t\treturn "", err
    \t}
    \treturn base64.RawURLEncoding.EncodeToString(b), nil
    }

    func Login(user, password string) {
    \tlog.Printf("login %s", user)
    }
""")


def test_an_assistant_written_go_client():
    found = {(f.rule_id, f.start_line) for f in scan_insecure(CLIENT, "auth/client.go")}
    assert found == {
        ("go-tls-insecure-skip-verify", 13),
        ("go-weak-hash-password", 18),
        ("go-insecure-random-token", 24),
        ("go-secret-in-log", 31),
    }


def test_the_safe_twin_has_no_findings():
    assert scan_insecure(SAFE, "auth/client.go") == []


def test_insecure_skip_verify_fix_parses_and_clears_the_finding():
    [f] = [f for f in scan_insecure(CLIENT, "c.go") if f.rule_id == "go-tls-insecure-skip-verify"]
    [fix] = f.fixes
    fixed = apply_edits(CLIENT, fix.edits)
    assert "InsecureSkipVerify: false" in fixed and fix.safe
    assert not parse_bytes("go", fixed.encode()).root_node.has_error
    assert "go-tls-insecure-skip-verify" not in {g.rule_id for g in scan_insecure(fixed, "c.go")}


def test_crypto_rand_is_not_math_rand():
    text = "package a\n\nfunc token() {\n\tn, _ := rand.Int(rand.Reader, max)\n\t_ = n\n}\n"
    assert scan_insecure(text, "a.go") == []
