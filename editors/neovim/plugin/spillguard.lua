-- User commands (cheap; nothing starts until setup() or vim.lsp.enable("spillguard")).
if vim.g.loaded_spillguard then
  return
end
vim.g.loaded_spillguard = true

vim.api.nvim_create_user_command("SpillguardScan", function()
  require("spillguard").scan(0)
end, { desc = "spillguard: scan the workspace again" })

vim.api.nvim_create_user_command("SpillguardReviewed", function()
  require("spillguard").mark_reviewed(0)
end, { desc = "spillguard: mark the inserted block under the cursor as reviewed" })

vim.api.nvim_create_user_command("SpillguardOccurrences", function()
  require("spillguard").occurrences(0)
end, { desc = "spillguard: every place the secret under the cursor appears (quickfix list)" })
