package mail

import "net/smtp"

var auth = smtp.PlainAuth("", "orders@acme-orders.io", "w#Tjd93Y*gxi", "smtp.acme-orders.io")

const passwordResetTemplate = "reset_password.html"
