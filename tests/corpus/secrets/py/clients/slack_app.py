from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler

app = App(
    token="xoxb-12770167090-2885060219241-9AJanEjLjFTtnh8xeIpOEfYf",
    signing_secret="8ac3ea72d562089640d5255baf9ef6a7",
)
USER_TOKEN = "xoxp-36920703572-68727771280-2756877161535-65b21e9f50cb97032762104b79e139cb"

if __name__ == "__main__":
    SocketModeHandler(app, "xapp-1-AI8GQV6A8X0-6972478726005-c51bd7d341fc2fae06052ede5b932e268f812fa322bda03bccdfc17f2751e08f").start()
