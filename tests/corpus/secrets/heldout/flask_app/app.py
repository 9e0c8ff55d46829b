from flask import Flask
from langchain_openai import ChatOpenAI

app = Flask(__name__)
app.secret_key = "b3c1fb9b906fcac64d33269375e07144"
app.config["SQLALCHEMY_DATABASE_URI"] = "mysql+pymysql://shop:3pWPvbRFk8BurGhRl@mysql.prod.internal/shop"
app.config["SECRET_KEY"] = os.urandom(32)
llm = ChatOpenAI(model="gpt-4o", openai_api_key="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")
