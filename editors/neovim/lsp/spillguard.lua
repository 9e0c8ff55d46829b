-- Neovim 0.11+: `vim.lsp.enable("spillguard")` picks this up from the runtimepath.
-- Override any field with vim.lsp.config("spillguard", { cmd = ..., settings = { spillguard = {...} } }).
local sg = require("spillguard")
local cfg = sg.client_config()
cfg.filetypes = nil -- every filetype: secrets hide in any file
return cfg
