import subprocess

TWINE_PASSWORD = "pypi-AgEIcHlwaS5vcmcOu0GO0N8UBTNNhkW5-SYY8dsOqhTuxr2gYpZWDXYwvkqD6pQJk-HXoSjPqTH1QgF5P3F8yPViK8Uu-chE5hSdIMOsesjKKJ16ycGrZt3aObwRxSTJNb11ZGSJyijXM8Wt-C4tSDYdkqdgjw0Yvx1CnWOOVGF4a-n"
subprocess.run(["twine", "upload", "-u", "__token__", "-p", TWINE_PASSWORD, "dist/*"], check=True)
