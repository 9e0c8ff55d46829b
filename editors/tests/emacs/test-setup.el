;;; test-setup.el --- the documented set-up: spillguard-eglot-setup + eglot-ensure  -*- lexical-binding: t; -*-
;; Run: emacs --batch -l editors/emacs/spillguard-eglot.el -l editors/tests/emacs/test-setup.el
(require 'cl-lib)
(require 'flymake)
(require 'python)

(let* ((ws (file-name-as-directory (getenv "SG_WS")))
       (spillguard-command (list (getenv "SG_SERVER") "serve"))
       (ok nil))
  (spillguard-eglot-setup)
  (add-hook 'python-mode-hook #'eglot-ensure)
  (find-file (expand-file-name "other.py" ws))
  ;; eglot-ensure connects from post-command-hook: batch mode runs no command loop, so run the hook.
  (run-hooks 'post-command-hook)
  (let ((deadline (+ (float-time) 30)))
    (while (and (not ok) (< (float-time) deadline))
      (accept-process-output nil 0.05)
      (when (bound-and-true-p flymake-mode) (flymake-start))
      (setq ok (cl-some (lambda (d)
                          (equal (plist-get (cdr (assoc 'eglot-lsp-diag (flymake-diagnostic-data d))) :code)
                                 "github-pat"))
                        (flymake-diagnostics (point-min) (point-max))))))
  (message "  %s - spillguard-eglot-setup + eglot-ensure: flymake shows the token in other.py"
           (if ok "ok" "not ok"))
  (ignore-errors (eglot-shutdown (eglot-current-server)))
  (kill-emacs (if ok 0 1)))
