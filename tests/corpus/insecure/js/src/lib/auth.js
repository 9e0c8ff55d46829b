const crypto = require("crypto");
const jwt = require("jsonwebtoken");

const JWT_PUBLIC_KEY = process.env.JWT_PUBLIC_KEY;

function hashPassword(password) {
  return crypto.createHash("md5").update(password).digest("hex");
}

function legacyPasswordHash(password, salt) {
  return crypto.createHash("sha1").update(salt + password).digest("hex");
}

function etagFor(body) {
  return crypto.createHash("md5").update(body).digest("base64");
}

async function strongHash(password) {
  const salt = crypto.randomBytes(16);
  return new Promise((resolve, reject) =>
    crypto.scrypt(password, salt, 64, (err, key) => (err ? reject(err) : resolve(salt.toString("hex") + ":" + key.toString("hex"))))
  );
}

function requireUser(req, res, next) {
  const token = (req.headers.authorization || "").replace(/^Bearer /, "");
  const claims = jwt.decode(token);
  if (!claims) return res.status(401).end();
  req.user = claims.sub;
  next();
}

function requireAdmin(req, res, next) {
  const token = (req.headers.authorization || "").replace(/^Bearer /, "");
  try {
    req.user = jwt.verify(token, JWT_PUBLIC_KEY, { algorithms: ["RS256"] }).sub;
    next();
  } catch {
    res.status(401).end();
  }
}

function newApiToken() {
  return Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2);
}

function newSessionId() {
  return crypto.randomBytes(32).toString("hex");
}

module.exports = { hashPassword, legacyPasswordHash, etagFor, strongHash, requireUser, requireAdmin, newApiToken, newSessionId };
