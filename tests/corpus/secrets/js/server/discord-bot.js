const { Client, GatewayIntentBits } = require("discord.js");

const client = new Client({ intents: [GatewayIntentBits.Guilds] });
const DISCORD_WEBHOOK = "https://discord.com/api/webhooks/727905082671325802/WRIPPISi4u245QLRMrXEHFQ_6O_ksDJWJgmWZZI2ALmasP45d8apx1DrCPNBmZf5suvP";

client.once("ready", () => console.log(`Logged in as ${client.user.tag}`));
client.login("NTM0OTc0OTcwMzAyNTI0NjkxMA.6xNXxW.0bShyNOCereMmAaTpeeAhSysHh87xo5ff2wpSO");

module.exports = { DISCORD_WEBHOOK };
