export const config = {
  csp: { nonce: "eJ4elNACf3DT5wKmuWBfUAUvJDrMlp9x9sDVIzLDsQU=" },
  sentry: { dsn: "https://2b4b07a823a32742825e4445ac85990f@o450123.ingest.sentry.io/5512345" },
  auth0: { domain: "acme-orders.eu.auth0.com", clientId: "YxDUxEcqlhZnCQ6i2KzlXW8Wfu9b9GeN" },
  api: { key: process.env.NEXT_PUBLIC_API_KEY!, secret: undefined },
  masked: { password: "********" },
  uploads: { apiSecret: "RGrxRZw1KEMDcC56pNRUaD3wKHwH7yTDQFTmZN4Q" },
};
