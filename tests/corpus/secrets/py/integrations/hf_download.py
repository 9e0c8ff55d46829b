from huggingface_hub import snapshot_download

HF_TOKEN = "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"

snapshot_download("mistralai/Mistral-7B-Instruct-v0.3", token=HF_TOKEN, revision="c02245d1e6e61b0738b62027c10f38dee768d98f")
