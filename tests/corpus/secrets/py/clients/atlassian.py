from atlassian import Confluence, Jira

jira = Jira(url="https://example.atlassian.net", username="bot@example.com", password="ATATT3xFfGF07n3k-m8ADn_P2gMFTt4KxrFCh0-PxhuDGMnHFwLsEwP2cIeJ5dffGIM-X8P3BJaWXXymgpFi-frsEpebvgPTYWn4ff2oDbUDft0MUQNEqtkh1meX-BDq_RNndtT7pP1MhN3B_nZQdhohzikNeqAnlMXA9LJPTB1OD5Q2HdaV-N=F994FE66")
confluence = Confluence(url="https://example.atlassian.net/wiki", token=None)
