"""Output formats for scan results: text, json, sarif."""
