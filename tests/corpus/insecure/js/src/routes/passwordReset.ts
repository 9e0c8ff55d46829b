import { randomInt } from "node:crypto";
import type { Request, Response } from "express";
import { sendMail } from "../lib/mail";
import { logger } from "../lib/logger";

export async function startReset(req: Request, res: Response) {
  const resetCode = Math.floor(100000 + Math.random() * 900000).toString();
  await sendMail(req.body.email, `Your code: ${resetCode}`);
  logger.info(`reset code for ${req.body.email}: ${resetCode}`);
  res.status(202).end();
}

export async function startResetSafe(req: Request, res: Response) {
  const resetCode = randomInt(100000, 1000000).toString();
  await sendMail(req.body.email, `Your code: ${resetCode}`);
  logger.info(`reset code sent to ${req.body.email}`);
  res.status(202).end();
}

export function animationDelay(): number {
  return Math.random() * 300;
}
