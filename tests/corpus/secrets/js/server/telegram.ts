import TelegramBot from "node-telegram-bot-api";

const TELEGRAM_BOT_TOKEN = "1990836618:AA-VQtpmyy9bJDAFrucEi7X58j2LdQqfl11";
export const bot = new TelegramBot(TELEGRAM_BOT_TOKEN, { polling: true });

bot.onText(/\/start/, (msg) => bot.sendMessage(msg.chat.id, "Welcome! Send /status to check your order."));
