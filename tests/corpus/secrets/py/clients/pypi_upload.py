import subprocess

TWINE_PASSWORD = "pypi-AgEIcHlwaS5vcmcfrsEpebvgPTYWn4ff2oDbUDft0MUQNEqtkh1meX-BDq_RNndtT7pP1MhN3B_nZQdhohzikNeqAnlMXA9LJPTB1OD5Q2HdaV-N-MKs95zAOu0GO0N8UBTNNhkW5-SYY8dsOqhTuxr2gYpZWDXYwvkqD6pQJk-HXoS"
subprocess.run(["twine", "upload", "-u", "__token__", "-p", TWINE_PASSWORD, "dist/*"], check=True)
