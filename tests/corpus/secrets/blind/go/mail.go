package mail

import "net/smtp"

var auth = smtp.PlainAuth("", "orders@acme-orders.io", "h+ZU9OFtIplWi", "smtp.acme-orders.io")

const passwordResetTemplate = "reset_password.html"
