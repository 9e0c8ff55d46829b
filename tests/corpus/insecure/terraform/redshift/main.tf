resource "aws_redshift_cluster" "warehouse" {
  cluster_identifier  = "warehouse"
  database_name       = "analytics"
  master_username     = "admin"
  master_password     = "Redsh1ftMasterPass"
  node_type           = "ra3.xlplus"
  cluster_type        = "single-node"
  publicly_accessible = true
  encrypted           = true
}

resource "aws_dms_replication_instance" "cdc" {
  replication_instance_id    = "cdc"
  replication_instance_class = "dms.t3.medium"
  publicly_accessible        = false
}

resource "aws_docdb_cluster" "docs" {
  cluster_identifier  = "docs"
  master_username     = "docs"
  master_password     = var.docdb_password
  storage_encrypted   = true
}
