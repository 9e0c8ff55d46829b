provider "kubernetes" {
  host  = "https://k8s.internal.example.com:6443"
  token = "eyJhbGciOiJSUzI1NiIsImtpZCI6IjRmM2EifQ.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6Y2k6ZGVwbG95In0.c2lnbmF0dXJlLXNpZ25hdHVyZQ"
}

provider "github" {
  owner = "acme"
  token = var.github_token
}

locals {
  db_password = "LocalPassw0rd!"
  db_user     = "app"
}

resource "aws_elasticache_replication_group" "cache" {
  replication_group_id       = "cache"
  description                = "app cache"
  transit_encryption_enabled = true
  auth_token                 = "R3dis-Auth-Token-Value-2024"
}

resource "aws_db_instance" "legacy" {
  identifier          = "legacy"
  engine              = "mysql"
  instance_class      = "db.t4g.micro"
  password            = "${random_password.legacy.result}"
  publicly_accessible = "true"
}

resource "aws_security_group" "ftp_ssh" {
  name   = "legacy-admin"
  vpc_id = var.vpc_id

  ingress {
    from_port   = 20
    to_port     = 25
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  ingress {
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = [var.vpc_cidr]
  }

  ingress {
    from_port   = 3389
    to_port     = 3389
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8", "0.0.0.0/0"]
  }
}

data "aws_secretsmanager_secret_version" "api" {
  secret_id = "prod/api/key"
}
