import os
import pickle
import subprocess

import yaml
from flask import Flask, jsonify, request
from flask_cors import CORS

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ["FLASK_SECRET_KEY"]
CORS(app, origins="*", supports_credentials=True)

REPORTS_DIR = "/srv/reports"


@app.post("/api/import")
def import_config():
    config = yaml.load(request.data)
    return jsonify(config)


@app.post("/api/import-safe")
def import_config_safe():
    config = yaml.safe_load(request.data)
    return jsonify(config)


@app.post("/api/session/restore")
def restore_session():
    state = pickle.loads(request.get_data())
    return jsonify({"restored": bool(state)})


@app.get("/api/reports/<name>")
def report(name: str):
    out = subprocess.run(f"ls -l {REPORTS_DIR}/{name}", shell=True, capture_output=True, text=True)
    return out.stdout


@app.get("/api/reports/<name>/size")
def report_size(name: str):
    out = subprocess.run(["du", "-sh", os.path.join(REPORTS_DIR, name)], capture_output=True, text=True)
    return out.stdout


@app.get("/api/uptime")
def uptime():
    return subprocess.run("uptime", shell=True, capture_output=True, text=True).stdout


@app.post("/api/calc")
def calc():
    expr = request.json["expr"]
    return jsonify({"result": eval(expr)})


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=8000, debug=True)
