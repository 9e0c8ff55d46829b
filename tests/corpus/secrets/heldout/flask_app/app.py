from flask import Flask
from langchain_openai import ChatOpenAI

app = Flask(__name__)
app.secret_key = "152a81ec0733070a48c3c9fa2bb905fa"
app.config["SQLALCHEMY_DATABASE_URI"] = "mysql+pymysql://shop:zgChcnxrdSgugd85tZ@mysql.prod.internal/shop"
app.config["SECRET_KEY"] = os.urandom(32)
llm = ChatOpenAI(model="gpt-4o", openai_api_key="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")
