package notify

import "fmt"

const telegramToken = "1148214272:AAPfYgu0sU4usfsAyAqUPQn28d05ddu7d9z"

func sendURL(chatID int64) string {
	return fmt.Sprintf("https://api.telegram.org/bot%s/sendMessage?chat_id=%d", telegramToken, chatID)
}
