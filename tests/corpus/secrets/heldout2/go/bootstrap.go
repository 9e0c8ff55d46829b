package main

import "os"

func init() {
	os.Setenv("AWS_SECRET_ACCESS_KEY", "iiKiWZ/WMSg+YcElmHPQ/GKBGSKoOHqywMObHX6B")
	os.Setenv("AWS_REGION", "eu-west-1")
}
