-- Neovim 0.11+ end-to-end: vim.lsp.config + vim.lsp.enable("spillguard") with lsp/spillguard.lua
-- from the plugin's runtimepath. Env as in test_setup.lua.
local here = debug.getinfo(1, "S").source:sub(2):match("(.*/)")
package.path = here .. "?.lua;" .. package.path
local T = require("lib")

vim.opt.runtimepath:prepend(vim.env.SG_PLUGIN)
vim.cmd("runtime! plugin/spillguard.lua")

T.run(function()
  vim.lsp.config("spillguard", { cmd = { vim.env.SG_SERVER, "serve" } })
  vim.lsp.enable("spillguard")
  vim.cmd("edit " .. vim.fn.fnameescape(vim.env.SG_WS .. "/settings.yaml"))
  local buf = vim.api.nvim_get_current_buf()
  local d = T.wait(20000, function()
    return T.diags(buf, "github-pat")[1]
  end)
  T.check("vim.lsp.enable('spillguard') attaches to a yaml buffer and reports the token", d ~= nil)
  T.check("the client is named spillguard", require("spillguard").client(buf) ~= nil)
  T.check("the message does not hold the secret", d == nil or not d.message:find(vim.env.SG_TOKEN, 1, true))

  -- Settings apply live: turn the rule off through workspace/didChangeConfiguration (the server
  -- then reads the "spillguard" section back with workspace/configuration), then on again.
  local client = require("spillguard").client(buf)
  local function set_rules(rules)
    client.settings = { spillguard = vim.tbl_extend("force", client.settings.spillguard or {}, { rules = rules }) }
    client:notify("workspace/didChangeConfiguration", { settings = client.settings })
  end
  set_rules({ ["github-pat"] = false })
  T.check("turning the rule off in the settings removes the diagnostic", T.wait(10000, function()
    return #T.diags(buf, "github-pat") == 0
  end))
  set_rules({ ["github-pat"] = true })
  T.check("turning it back on brings it back", T.wait(10000, function()
    return #T.diags(buf, "github-pat") == 1
  end))
end)
