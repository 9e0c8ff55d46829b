;;; copilot.el --- test stand-in for copilot.el's accept command  -*- lexical-binding: t; -*-
;; Inserts a one-line "suggestion" holding a (fake) token, as accepting a completion would.
(defun copilot-accept-completion ()
  (interactive)
  (insert (format "DEPLOY_TOKEN = \"%s\"\n" (getenv "SG_TOKEN2"))))
(provide 'copilot)
