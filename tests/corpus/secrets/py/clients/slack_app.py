from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler

app = App(
    token="xoxb-36815471121-6685748973937-SyBTPo9B9FAhkUo2AkFROWwH",
    signing_secret="0d34d2372116bdb15f55623ff5081437",
)
USER_TOKEN = "xoxp-64946174380-76588243465-9273007489857-8bf6bfc92873a3b841977803f9e32b27"

if __name__ == "__main__":
    SocketModeHandler(app, "xapp-1-AG22I03T2IS-6495023828542-f64dd2413b003d06f44f963b27f228ac3ea72d562089640d5255baf9ef6a786c").start()
