"""Terraform: literal credentials, publicly_accessible = true, SSH/RDP open to the internet."""

import json

from spillguard.engine.insecure import scan_insecure
from spillguard.engine.rulecheck import apply_edits


def found(text: str, path: str = "main.tf") -> list[tuple[str, int]]:
    return [(f.rule_id, f.start_line) for f in scan_insecure(text, path)]


def test_literal_provider_and_resource_credentials_are_reported_redacted():
    secret = "wJa9rXUtnF2MI3K7MDENGbPxRfiCY8Q4LgT0zN1v"
    text = (
        'provider "aws" {\n'
        '  region     = "eu-west-1"\n'
        f'  secret_key = "{secret}"\n'
        "}\n"
        'resource "aws_db_instance" "main" {\n'
        '  username = "app"\n'
        '  password = "Sup3rS3cretPassw0rd!"\n'
        "}\n"
    )
    got = scan_insecure(text, "infra/main.tf")
    assert [(f.rule_id, f.start_line, f.name) for f in got] == [
        ("terraform-literal-credential", 3, "SECRET_KEY"),
        ("terraform-literal-credential", 7, "PASSWORD"),
    ]
    assert all(secret not in json.dumps(f.to_dict()) and "Sup3rS3cret" not in json.dumps(f.to_dict()) for f in got)


def test_references_generated_and_managed_passwords_are_fine():
    text = (
        'resource "aws_db_instance" "a" {\n  password = var.db_password\n}\n'
        'resource "aws_db_instance" "b" {\n  password = random_password.db.result\n}\n'
        'resource "aws_db_instance" "c" {\n  password = "${var.prefix}-${random_id.x.hex}"\n}\n'
        'resource "aws_rds_cluster" "d" {\n  manage_master_user_password = true\n}\n'
        'provider "azurerm" {\n  client_id = "4f1c2d3e-5a6b-7c8d-9e0f-a1b2c3d4e5f6"\n}\n'
        'variable "db_password" {\n  default = "dev-only-password-1"\n}\n'
    )
    assert found(text) == []


def test_publicly_accessible_true_and_its_fix():
    text = 'resource "aws_db_instance" "main" {\n  publicly_accessible = true\n}\n'
    [f] = scan_insecure(text, "main.tf")
    assert (f.rule_id, f.start_line, f.start_col, f.end_col) == ("terraform-publicly-accessible", 2, 25, 29)
    fixed = apply_edits(text, f.fixes[0].edits)
    assert fixed == 'resource "aws_db_instance" "main" {\n  publicly_accessible = false\n}\n'
    assert found(fixed) == []
    assert found('resource "x" "y" {\n  publicly_accessible = var.public\n}\n') == []
    quoted = 'resource "aws_db_instance" "a" {\n  publicly_accessible = "true"\n}\n'
    [q] = scan_insecure(quoted, "main.tf")
    assert apply_edits(quoted, q.fixes[0].edits) == 'resource "aws_db_instance" "a" {\n  publicly_accessible = false\n}\n'


def test_ssh_and_rdp_open_to_the_internet():
    text = (
        'resource "aws_security_group" "bastion" {\n'
        "  ingress {\n"
        "    from_port   = 22\n"
        "    to_port     = 22\n"
        '    protocol    = "tcp"\n'
        '    cidr_blocks = ["0.0.0.0/0"]\n'
        "  }\n"
        "  ingress {\n"
        "    from_port   = 443\n"
        "    to_port     = 443\n"
        '    protocol    = "tcp"\n'
        '    cidr_blocks = ["0.0.0.0/0"]\n'
        "  }\n"
        "  ingress {\n"
        "    from_port        = 3000\n"
        "    to_port          = 4000\n"
        '    protocol         = "tcp"\n'
        '    ipv6_cidr_blocks = ["::/0"]\n'
        "  }\n"
        "  ingress {\n"
        "    from_port   = 22\n"
        "    to_port     = 22\n"
        '    protocol    = "tcp"\n'
        '    cidr_blocks = ["10.0.0.0/8"]\n'
        "  }\n"
        "  egress {\n"
        "    from_port   = 0\n"
        "    to_port     = 0\n"
        '    protocol    = "-1"\n'
        '    cidr_blocks = ["0.0.0.0/0"]\n'
        "  }\n"
        "}\n"
    )
    # 22 open; 443 is meant to be public; 3000-4000 contains 3389; SSH from 10/8 is fine; egress is not ingress
    assert found(text) == [("terraform-open-ssh-rdp", 6), ("terraform-open-ssh-rdp", 18)]


def test_open_ssh_rdp_other_clouds():
    gcp = (
        'resource "google_compute_firewall" "ssh" {\n'
        '  allow {\n    protocol = "tcp"\n    ports    = ["22"]\n  }\n'
        '  source_ranges = ["0.0.0.0/0"]\n}\n'
    )
    azure = (
        'resource "azurerm_network_security_rule" "rdp" {\n'
        '  direction                  = "Inbound"\n'
        '  access                     = "Allow"\n'
        '  destination_port_range     = "3389"\n'
        '  source_address_prefix      = "Internet"\n}\n'
    )
    assert found(gcp) == [("terraform-open-ssh-rdp", 6)]
    assert found(azure) == [("terraform-open-ssh-rdp", 5)]
    assert found(azure.replace('"Allow"', '"Deny"')) == []


def test_broken_hcl_never_raises_and_keeps_what_still_parses():
    text = 'resource "aws_db_instance" "x" {\n  publicly_accessible = true\n\nresource "oops" {{{\n'
    got = scan_insecure(text, "broken.tf")
    assert isinstance(got, list)
    assert [f.rule_id for f in got] in ([], ["terraform-publicly-accessible"])
