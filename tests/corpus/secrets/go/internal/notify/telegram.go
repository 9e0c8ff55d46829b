package notify

import "fmt"

const telegramToken = "8414645578:AALuWxZvl1zrBzin94DPfAa93Q6r4j9GF7N"

func sendURL(chatID int64) string {
	return fmt.Sprintf("https://api.telegram.org/bot%s/sendMessage?chat_id=%d", telegramToken, chatID)
}
