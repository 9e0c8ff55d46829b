terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

provider "aws" {
  region     = "eu-west-1"
  access_key = "AKIAQ4JX7RDSPROD2K5M"
  secret_key = "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"
}

variable "db_password" {
  type      = string
  sensitive = true
}

resource "aws_db_instance" "main" {
  identifier          = "app-main"
  engine              = "postgres"
  engine_version      = "16.3"
  instance_class      = "db.t4g.medium"
  allocated_storage   = 50
  username            = "app"
  password            = "Sup3rS3cretPassw0rd!"
  publicly_accessible = true
  skip_final_snapshot = true
  storage_encrypted   = true
}

resource "aws_db_instance" "replica" {
  identifier          = "app-replica"
  replicate_source_db = aws_db_instance.main.identifier
  instance_class      = "db.t4g.medium"
  password            = var.db_password
  publicly_accessible = false
  storage_encrypted   = true
}
