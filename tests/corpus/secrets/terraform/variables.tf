variable "do_token" {
  description = "DigitalOcean API token"
  type        = string
  sensitive   = true
}

variable "db_password" {
  type      = string
  sensitive = true
  default   = "xoCp8*BIafQ1rEl"
}

variable "datadog_api_key" {
  type    = string
  default = ""
}
