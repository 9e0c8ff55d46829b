terraform {
  cloud {
    organization = "example-orders"
    workspaces { name = "orders-prod" }
  }
}

provider "aws" {
  region     = "eu-west-1"
  access_key = "AKIAKHQSI2PCRQPQS74A"
  secret_key = "cWQ9vCVfWUtxEgTle6x2VNY/RS9hKSvBZKyHyo+5"
}

provider "digitalocean" {
  token = var.do_token
}

resource "aws_db_instance" "orders" {
  identifier        = "orders-prod"
  engine            = "postgres"
  instance_class    = "db.t4g.medium"
  username          = "orders"
  password          = "o=lqR6=Q@uNq"
  allocated_storage = 50
}

resource "aws_secretsmanager_secret_version" "api" {
  secret_id     = aws_secretsmanager_secret.api.id
  secret_string = jsonencode({ token = random_password.api.result })
}

resource "random_password" "api" {
  length  = 32
  special = true
}
