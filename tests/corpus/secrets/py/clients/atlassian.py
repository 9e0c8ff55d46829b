from atlassian import Confluence, Jira

jira = Jira(url="https://example.atlassian.net", username="bot@example.com", password="ATATT3xFfGF0aQ3tbmGksDk_cY-VQtGkYjCNWQmAn5umGt081shGZZOu15CVoOvs-TkYVF9PEm9KizfeRNFYIbzbk1GGPf5zbdgLAC5WBkj2quC_AmeBF7n3k-m8ADn_P2gMFTt4KxrFCh0-PxhuDGMnHFwLsEwP2cIeJ5dffGIM-X8P3BJaWX=C631372F")
confluence = Confluence(url="https://example.atlassian.net/wiki", token=None)
