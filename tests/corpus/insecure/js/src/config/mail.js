const nodemailer = require("nodemailer");
const logger = require("../lib/logger");

const smtp = {
  host: process.env.SMTP_HOST || "localhost",
  port: Number(process.env.SMTP_PORT || 587),
  user: process.env.SMTP_USER,
};

function createTransport() {
  console.log(`SMTP host: ${smtp.host}:${smtp.port}`);
  console.log(`SMTP user: ${process.env.SMTP_USER}`);
  console.log(`SMTP password: ${process.env.SMTP_PASS}`);
  console.log("SMTP_PASS is set:", Boolean(process.env.SMTP_PASS));
  return nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    auth: { user: smtp.user, pass: process.env.SMTP_PASS },
  });
}

function debugAuth(auth) {
  logger.debug(`mail auth ${auth.user}:${auth.pass}`);
}

module.exports = { createTransport, debugAuth };
