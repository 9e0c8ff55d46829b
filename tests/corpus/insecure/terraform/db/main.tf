provider "datadog" {
  api_key = "9f8e7d6c5b4a39281716f5e4d3c2b1a0"
  app_key = var.datadog_app_key
}

data "aws_ssm_parameter" "db" {
  name = "/prod/db/password"
}

resource "aws_db_instance" "orders" {
  identifier          = "orders"
  engine              = "postgres"
  instance_class      = "db.t4g.large"
  username            = "orders"
  password            = "P@ssw0rd123!"
  publicly_accessible = true
}

resource "aws_db_instance" "orders_replica" {
  identifier          = "orders-replica"
  replicate_source_db = aws_db_instance.orders.identifier
  instance_class      = "db.t4g.large"
  password            = data.aws_ssm_parameter.db.value
}

resource "aws_security_group_rule" "ssh" {
  type              = "ingress"
  from_port         = 22
  to_port           = 22
  protocol          = "tcp"
  cidr_blocks       = ["0.0.0.0/0"]
  security_group_id = var.sg_id
}

resource "aws_security_group_rule" "https6" {
  type              = "ingress"
  from_port         = 443
  to_port           = 443
  protocol          = "tcp"
  ipv6_cidr_blocks  = ["::/0"]
  security_group_id = var.sg_id
}

resource "aws_mq_broker" "events" {
  broker_name        = "events"
  engine_type        = "RabbitMQ"
  engine_version     = "3.13"
  host_instance_type = "mq.t3.micro"
  user {
    username = "events"
    password = var.mq_password
  }
}
