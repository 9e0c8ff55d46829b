import express from "express";
import session from "express-session";
import cors from "cors";
import crypto from "node:crypto";

export const app = express();

app.use(cors({ origin: true, credentials: true }));
app.use(
  session({
    secret: "s3cr3t-session-key",
    resave: false,
    saveUninitialized: false,
    cookie: { secure: process.env.NODE_ENV === "production", httpOnly: true },
  })
);

app.post("/otp", (req, res) => {
  const otp = String(Math.floor(Math.random() * 1_000_000)).padStart(6, "0");
  res.json({ sent: true, requestId: crypto.randomUUID() });
});

app.get("/ab-bucket", (_req, res) => {
  res.json({ bucket: Math.random() < 0.5 ? "a" : "b" });
});
