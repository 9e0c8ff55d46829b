import vault from "node-vault";

const client = vault({
  apiVersion: "v1",
  endpoint: "https://vault.internal:8200",
  token: "hvs.CAESIayF-8Itp2yI9v0b6UvO1pcMR7TORkWHPSOtEdQy4gW115Fzr61FwruSxCm9yRyKKIHSsjk_4PcVgiD3YUzR",
});

export async function dbCreds() {
  const { data } = await client.read("database/creds/orders-app");
  return data;
}
