import https from "node:https";
import fs from "node:fs";
import axios from "axios";

const caBundle = fs.readFileSync(process.env.INTERNAL_CA_PATH ?? "/etc/ssl/internal-ca.pem");

export const insecureAgent = new https.Agent({ rejectUnauthorized: false });

export const internalAgent = new https.Agent({ ca: caBundle, rejectUnauthorized: true });

export function legacyClient(baseURL: string) {
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";
  return axios.create({ baseURL });
}

export function inventoryClient(baseURL: string) {
  return axios.create({
    baseURL,
    httpsAgent: new https.Agent({
      rejectUnauthorized: false,
    }),
  });
}

export function strictClient(baseURL: string) {
  return axios.create({ baseURL, httpsAgent: internalAgent });
}
