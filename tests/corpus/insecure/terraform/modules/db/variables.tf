variable "db_password" {
  description = "Master password for the database"
  type        = string
  sensitive   = true
}

variable "publicly_accessible" {
  description = "Expose the instance publicly (never in production)"
  type        = bool
  default     = false
}

variable "allowed_cidrs" {
  description = "CIDRs allowed to reach the database port"
  type        = list(string)
  default     = ["10.0.0.0/8"]
}
