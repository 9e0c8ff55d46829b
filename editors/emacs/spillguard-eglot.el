;;; spillguard-eglot.el --- spillguard language server through eglot  -*- lexical-binding: t; -*-

;; A configuration for Emacs 28+ with eglot 1.9+ (built into Emacs 29+).
;; Put this file on your load-path and:
;;
;;   (require 'spillguard-eglot)
;;   (spillguard-eglot-setup)                       ; use spillguard for `spillguard-modes'
;;   (add-hook 'python-mode-hook #'eglot-ensure)   ; ...and start it where you want it
;;
;; or start it by hand in one buffer with M-x spillguard-eglot-start.
;;
;; eglot runs one server per buffer: a buffer managed by spillguard is not also
;; managed by, say, pyright. Use spillguard in the modes where that suits you.
;;
;; Settings (the "spillguard" section of workspace/configuration) come from
;; `spillguard-settings', e.g.
;;
;;   (setq spillguard-settings '(:debounce 150 :insertedBlockThreshold 2
;;                               :rules (:generic-password :json-false)))

;;; Code:

(require 'eglot)
(require 'cl-lib)

(defgroup spillguard nil
  "Hard-coded secrets and insecure defaults, as you type."
  :group 'tools)

(defcustom spillguard-command '("spillguard" "serve")
  "How to start the server.  `python3 -m spillguard serve' works too."
  :type '(repeat string))

(defcustom spillguard-settings '()
  "The \"spillguard\" settings section (a plist).
eglot sends it through workspace/configuration."
  :type 'plist)

(defcustom spillguard-modes
  '(python-mode python-ts-mode js-mode js-ts-mode typescript-mode typescript-ts-mode go-mode go-ts-mode
    java-mode ruby-mode sh-mode bash-ts-mode yaml-mode yaml-ts-mode conf-mode conf-unix-mode
    dockerfile-mode terraform-mode hcl-mode json-mode json-ts-mode csharp-mode)
  "Major modes `spillguard-eglot-setup' hands to spillguard."
  :type '(repeat symbol))

(defun spillguard--workspace-configuration (_server)
  "The workspace configuration eglot sends: the spillguard section."
  (list :spillguard (or spillguard-settings eglot--{})))

(defun spillguard--language-id ()
  (replace-regexp-in-string "\\(?:-ts\\)?-mode\\'" "" (symbol-name major-mode)))

;;;###autoload
(defun spillguard-eglot-setup ()
  "Use spillguard as the eglot server of `spillguard-modes'."
  (add-to-list 'eglot-server-programs (cons spillguard-modes spillguard-command))
  (setq-default eglot-workspace-configuration #'spillguard--workspace-configuration))

;;;###autoload
(defun spillguard-eglot-start ()
  "Start spillguard for the current buffer's major mode and project."
  (interactive)
  (setq-default eglot-workspace-configuration #'spillguard--workspace-configuration)
  (let ((project (or (project-current) (cons 'transient default-directory))))
    (eglot (list major-mode) project 'eglot-lsp-server spillguard-command (spillguard--language-id))))

(defun spillguard--execute (command arguments)
  (let ((server (eglot--current-server-or-lose)))
    (jsonrpc-request server :workspace/executeCommand
                     (list :command command :arguments arguments))))

(defun spillguard--here ()
  (list :uri (eglot--path-to-uri (buffer-file-name)) :position (eglot--pos-to-lsp-position)))

(defun spillguard-scan ()
  "Scan the workspace folders again."
  (interactive)
  (spillguard--execute "spillguard.scanWorkspace" [])
  (message "spillguard: workspace scan started"))

(defun spillguard-mark-reviewed ()
  "Mark the inserted block at point as reviewed."
  (interactive)
  (let ((r (spillguard--execute "spillguard.markReviewed" (vector (spillguard--here)))))
    (unless (eq (plist-get r :reviewed) t)
      (message "spillguard: no inserted block here"))))

(defun spillguard-occurrences ()
  "List every place the secret at point appears."
  (interactive)
  (let ((locs (spillguard--execute "spillguard.showOccurrences" (vector (spillguard--here)))))
    (with-current-buffer (get-buffer-create "*spillguard occurrences*")
      (let ((inhibit-read-only t))
        (erase-buffer)
        (cl-loop for loc across locs
                 for range = (plist-get loc :range)
                 do (insert (format "%s:%d\n" (eglot--uri-to-path (plist-get loc :uri))
                                    (1+ (plist-get (plist-get range :start) :line)))))
        (grep-mode))
      (display-buffer (current-buffer)))))

(defun spillguard-notify-insertion (beg end source)
  "Tell the server that an assistant (SOURCE) inserted the text from BEG to END."
  (when-let ((server (eglot-current-server)))
    (jsonrpc-notify server :spillguard/assistantInsertion
                    (list :textDocument (eglot--VersionedTextDocumentIdentifier)
                          :range (list :start (eglot--pos-to-lsp-position beg)
                                       :end (eglot--pos-to-lsp-position end))
                          :source source))))

(defun spillguard--capture-insertion (orig &rest args)
  "Around-advice: report what ORIG inserted (copilot.el's accept commands)."
  (let (beg end)
    (let ((after-change-functions
           (cons (lambda (b e _len) (setq beg (if beg (min beg b) b) end (if end (max end e) e)))
                 after-change-functions)))
      (prog1 (apply orig args)
        (when (and beg end (< beg end))
          ;; eglot sends didChange after a short idle delay: send it first.
          (eglot--signal-textDocument/didChange)
          (spillguard-notify-insertion beg end "copilot.el"))))))

(with-eval-after-load 'copilot
  (dolist (fn '(copilot-accept-completion copilot-accept-completion-by-word copilot-accept-completion-by-line))
    (when (fboundp fn) (advice-add fn :around #'spillguard--capture-insertion))))

(provide 'spillguard-eglot)
;;; spillguard-eglot.el ends here
