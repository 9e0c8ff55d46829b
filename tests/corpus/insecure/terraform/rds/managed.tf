resource "random_password" "analytics" {
  length  = 32
  special = true
}

resource "aws_db_instance" "analytics" {
  identifier                  = "analytics"
  engine                      = "mysql"
  instance_class              = "db.t4g.small"
  allocated_storage           = 20
  username                    = "analytics"
  password                    = random_password.analytics.result
  publicly_accessible         = var.analytics_public
  storage_encrypted           = true
}

resource "aws_rds_cluster" "orders" {
  cluster_identifier          = "orders"
  engine                      = "aurora-postgresql"
  master_username             = "orders"
  manage_master_user_password = true
  storage_encrypted           = true
}
