export const config = {
  csp: { nonce: "j6LMg942JJazT1mfu7NDqAy9+dU/KfPupVGp3qmo6FY=" },
  sentry: { dsn: "https://81ec0733070a48c3c9fa2bb905fa6171@o450123.ingest.sentry.io/5512345" },
  auth0: { domain: "acme-orders.eu.auth0.com", clientId: "bLglIYibw9dk9dbHECMjIzvwhEpxkdSS" },
  api: { key: process.env.NEXT_PUBLIC_API_KEY!, secret: undefined },
  masked: { password: "********" },
  uploads: { apiSecret: "doDv6TUNItJTHM1KV0cG1j2FzOVfoFiszK1l8eIP" },
};
