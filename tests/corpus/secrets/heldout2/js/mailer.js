const nodemailer = require("nodemailer");

module.exports = nodemailer.createTransport({
  host: "smtp.shop.internal",
  port: 587,
  auth: { user: "orders@shop.internal", pass: "c-ugYTuKYZlO0L" },
});
