import nodemailer from "nodemailer";
import { logger } from "./logger";

const host = process.env.SMTP_HOST ?? "smtp.example.com";

export const transport = nodemailer.createTransport({
  host,
  port: 587,
  auth: { user: process.env.SMTP_USER, pass: process.env.SMTP_PASS },
  tls: { rejectUnauthorized: false },
});

export const strictTransport = nodemailer.createTransport({
  host,
  port: 465,
  secure: true,
  auth: { user: process.env.SMTP_USER, pass: process.env.SMTP_PASS },
  tls: { minVersion: "TLSv1.2" },
});

export async function send(to: string, subject: string, html: string) {
  logger.debug(`smtp login ${process.env.SMTP_USER} / ${process.env.SMTP_PASS}`);
  logger.debug(`smtp host ${host}`);
  return transport.sendMail({ from: "noreply@example.com", to, subject, html });
}
