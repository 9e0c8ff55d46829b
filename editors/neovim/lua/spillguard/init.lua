--- spillguard for Neovim: starts `spillguard serve` for matching buffers, adds
--- :SpillguardScan, :SpillguardReviewed, :SpillguardOccurrences, a statusline
--- component, and tells the server when an assistant inserted text
--- (`spillguard/assistantInsertion`). See :help spillguard.
local M = {}

M.name = "spillguard"
M.block_code = "unreviewed-inserted-block"

local uv = vim.uv or vim.loop

--- The default command: `spillguard serve` from PATH, else `python3 -m spillguard serve`.
function M.default_cmd()
  if vim.fn.executable("spillguard") == 1 then
    return { "spillguard", "serve" }
  end
  local py = vim.fn.executable("python3") == 1 and "python3" or "python"
  return { py, "-m", "spillguard", "serve" }
end

--- Markers of a project root, nearest first.
M.root_markers = { ".spillguard.toml", ".git" }

M.defaults = {
  cmd = nil, -- nil: M.default_cmd()
  filetypes = nil, -- nil: every buffer that holds a file
  settings = {}, -- the "spillguard" section: rules, severity, debounce, insertedBlockThreshold, ...
  root_markers = M.root_markers,
  assistant = { copilot = true, inline_completion = true }, -- hooks that report assistant insertions
}

M.config = vim.deepcopy(M.defaults)

local function root_for(bufnr, markers)
  local name = vim.api.nvim_buf_get_name(bufnr)
  local found = vim.fs.find(markers, { upward = true, path = vim.fs.dirname(name) })[1]
  return vim.fs.dirname(found or name)
end

--- The client configuration (usable with vim.lsp.start and vim.lsp.config).
function M.client_config(opts)
  opts = vim.tbl_deep_extend("force", M.config, opts or {})
  -- Neovim pulls diagnostics (textDocument/diagnostic) but cannot be asked to pull again
  -- (no workspace/diagnostic/refresh), so a finished workspace scan or "Mark reviewed" would only
  -- show at the next edit. Ask the server to push instead and do not pull.
  local settings = vim.tbl_extend("keep", opts.settings or {}, { diagnosticMode = "push" })
  return {
    name = M.name,
    cmd = opts.cmd or M.default_cmd(),
    filetypes = opts.filetypes,
    root_markers = opts.root_markers,
    -- workspace/configuration looks the "spillguard" section up here; didChangeConfiguration sends it.
    settings = { spillguard = settings },
    init_options = { spillguard = settings },
    on_init = function(client)
      if settings.diagnosticMode == "push" then
        client.server_capabilities.diagnosticProvider = nil
      end
    end,
    on_attach = function(client, bufnr)
      M._on_attach(client, bufnr)
    end,
  }
end

local function is_file_buffer(bufnr)
  return vim.bo[bufnr].buftype == "" and vim.api.nvim_buf_get_name(bufnr) ~= ""
end

--- Start (or reuse) the server for a buffer. Returns the client id.
function M.start(bufnr, opts)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  if not is_file_buffer(bufnr) then
    return nil
  end
  local cfg = M.client_config(opts)
  cfg.root_dir = root_for(bufnr, cfg.root_markers or M.root_markers)
  cfg.root_markers = nil
  local cmd0 = cfg.cmd[1]
  if type(cmd0) == "string" and vim.fn.executable(cmd0) == 0 then
    vim.notify_once(
      ("spillguard: %q not found. Install the server (pip install spillguard, or `pip install -e .` in a "
        .. "checkout) or set `cmd` in require('spillguard').setup()."):format(cmd0),
      vim.log.levels.ERROR
    )
    return nil
  end
  return vim.lsp.start(cfg, { bufnr = bufnr })
end

--- setup({ cmd = {...}, settings = {...}, filetypes = {...} })
function M.setup(opts)
  M.config = vim.tbl_deep_extend("force", vim.deepcopy(M.defaults), opts or {})
  local group = vim.api.nvim_create_augroup("spillguard", { clear = true })
  vim.api.nvim_create_autocmd("FileType", {
    group = group,
    callback = function(ev)
      local fts = M.config.filetypes
      if fts == nil or vim.tbl_contains(fts, vim.bo[ev.buf].filetype) then
        M.start(ev.buf)
      end
    end,
  })
  -- Buffers already open when setup() runs.
  for _, b in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(b) and vim.bo[b].filetype ~= "" then
      local fts = M.config.filetypes
      if fts == nil or vim.tbl_contains(fts, vim.bo[b].filetype) then
        M.start(b)
      end
    end
  end
  M.install_assistant_hooks()
  return M
end

--- The spillguard client attached to a buffer (nil if none).
function M.client(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local get = vim.lsp.get_clients or vim.lsp.get_active_clients
  return get({ bufnr = bufnr, name = M.name })[1]
end

function M._on_attach(_, bufnr)
  vim.b[bufnr].spillguard_attached = true
  M.install_assistant_hooks()
end

-- Client methods: 0.11+ uses client:request, 0.10 client.request.
local function request(client, method, params, handler, bufnr)
  if vim.fn.has("nvim-0.11") == 1 then
    return client:request(method, params, handler, bufnr)
  end
  return client.request(method, params, handler, bufnr)
end

local function notify(client, method, params)
  if vim.fn.has("nvim-0.11") == 1 then
    return client:notify(method, params)
  end
  return client.notify(method, params)
end

local function execute(bufnr, command, arguments, on_result)
  local client = M.client(bufnr)
  if not client then
    vim.notify("spillguard: no server attached to this buffer", vim.log.levels.WARN)
    return false
  end
  request(client, "workspace/executeCommand", { command = command, arguments = arguments }, function(err, result)
    if err then
      vim.notify(("spillguard: %s failed: %s"):format(command, err.message or vim.inspect(err)), vim.log.levels.ERROR)
      return
    end
    if on_result then
      on_result(result, client)
    end
  end, bufnr)
  return true
end

local function cursor_params(bufnr, client)
  local win = vim.api.nvim_get_current_win()
  local p = vim.lsp.util.make_position_params(win, client.offset_encoding or "utf-16")
  return { uri = vim.uri_from_bufnr(bufnr), position = p.position }
end

--- :SpillguardScan — scan the workspace folders again (the propagation index).
function M.scan(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  return execute(bufnr, "spillguard.scanWorkspace", {}, function()
    vim.notify("spillguard: workspace scan started", vim.log.levels.INFO)
  end)
end

--- :SpillguardReviewed — mark the inserted block under the cursor as reviewed.
function M.mark_reviewed(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local client = M.client(bufnr)
  if not client then
    vim.notify("spillguard: no server attached to this buffer", vim.log.levels.WARN)
    return false
  end
  return execute(bufnr, "spillguard.markReviewed", { cursor_params(bufnr, client) }, function(result)
    if not (result and result.reviewed) then
      vim.notify("spillguard: no inserted block under the cursor", vim.log.levels.INFO)
    end
  end)
end

--- :SpillguardOccurrences — every place the secret under the cursor appears, in the quickfix list.
function M.occurrences(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local client = M.client(bufnr)
  if not client then
    vim.notify("spillguard: no server attached to this buffer", vim.log.levels.WARN)
    return false
  end
  return execute(bufnr, "spillguard.showOccurrences", { cursor_params(bufnr, client) }, function(result, c)
    local items = vim.lsp.util.locations_to_items(result or {}, c.offset_encoding or "utf-16")
    vim.fn.setqflist({}, " ", { title = "spillguard: occurrences", items = items })
    if #items > 0 then
      vim.cmd("copen")
    end
  end)
end

--- Counts for a statusline: findings and unreviewed inserted blocks in a buffer.
function M.counts(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local findings, blocks = 0, 0
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.source == M.name then
      if d.code == M.block_code then
        blocks = blocks + 1
      else
        findings = findings + 1
      end
    end
  end
  return findings, blocks
end

--- Statusline component: "" when the server is not attached, else e.g. "spillguard 2 ⚑1".
--- Use it as `%{v:lua.require'spillguard'.statusline()}` or in lualine's sections.
function M.statusline()
  local bufnr = vim.api.nvim_get_current_buf()
  if not M.client(bufnr) then
    return ""
  end
  local findings, blocks = M.counts(bufnr)
  local s = ("spillguard %d"):format(findings)
  if blocks > 0 then
    s = s .. (" ⚑%d"):format(blocks)
  end
  return s
end

-- Assistant insertions ---------------------------------------------------------------------

--- Send spillguard/assistantInsertion for a range of the buffer (0-based rows, byte columns).
function M.notify_insertion(bufnr, srow, scol, erow, ecol, source)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local client = M.client(bufnr)
  if not client then
    return false
  end
  local enc = client.offset_encoding or "utf-16"
  local function pos(row, col)
    local line = vim.api.nvim_buf_get_lines(bufnr, row, row + 1, false)[1] or ""
    col = math.min(col, #line)
    local ok, character = pcall(vim.str_utfindex, line, enc, col, false)
    if not ok then -- 0.10 signature: str_utfindex(line, index) -> utf32, utf16
      local u32, u16 = vim.str_utfindex(line, col)
      character = (enc == "utf-8" and col) or (enc == "utf-32" and u32) or u16
    end
    return { line = row, character = character }
  end
  return notify(client, "spillguard/assistantInsertion", {
    textDocument = { uri = vim.uri_from_bufnr(bufnr), version = vim.lsp.util.buf_versions[bufnr] },
    range = { start = pos(srow, scol), ["end"] = pos(erow, ecol) },
    source = source,
  })
end

--- Run fn() and report the text it inserts into the current buffer (now or in the
--- callbacks it schedules, as copilot.lua and vim.lsp.inline_completion do) as an
--- assistant insertion with the given source.
function M.capture(source, fn, ...)
  local bufnr = vim.api.nvim_get_current_buf()
  if not M.client(bufnr) then
    return fn(...)
  end
  local state = { active = true, range = nil }
  vim.api.nvim_buf_attach(bufnr, false, {
    on_bytes = function(_, _, _, srow, scol, _, _, _, _, nrow, ncol)
      if not state.active then
        return true -- detach
      end
      local erow = srow + nrow
      local ecol = (nrow == 0 and scol or 0) + ncol
      if state.range == nil then
        state.range = { srow, scol, erow, ecol }
      else -- union with what earlier edits of the same acceptance inserted
        local r = state.range
        if srow < r[1] or (srow == r[1] and scol < r[2]) then
          r[1], r[2] = srow, scol
        end
        if erow > r[3] or (erow == r[3] and ecol > r[4]) then
          r[3], r[4] = erow, ecol
        end
      end
    end,
  })
  local function finish(tries)
    if state.range == nil and tries > 0 then
      vim.schedule(function()
        finish(tries - 1)
      end)
      return
    end
    state.active = false
    local r = state.range
    if r and (r[3] > r[1] or r[4] > r[2]) and vim.api.nvim_buf_is_valid(bufnr) then
      M.notify_insertion(bufnr, r[1], r[2], r[3], r[4], source)
    end
  end
  local results = { fn(...) }
  vim.schedule(function()
    finish(3)
  end)
  return unpack(results)
end

local hooked = {}

--- Wrap copilot.lua's accept functions (require("copilot.suggestion").accept*).
function M.hook_copilot()
  if hooked.copilot then
    return true
  end
  local ok, suggestion = pcall(require, "copilot.suggestion")
  if not ok or type(suggestion) ~= "table" then
    return false
  end
  for _, fname in ipairs({ "accept", "accept_word", "accept_line" }) do
    local orig = suggestion[fname]
    if type(orig) == "function" then
      suggestion[fname] = function(...)
        return M.capture("copilot", orig, ...)
      end
    end
  end
  hooked.copilot = true
  return true
end

--- Wrap Neovim 0.12's vim.lsp.inline_completion.get (native inline-completion acceptance).
function M.hook_inline_completion()
  if hooked.inline then
    return true
  end
  local ic = vim.lsp.inline_completion
  if type(ic) ~= "table" or type(ic.get) ~= "function" then
    return false
  end
  local orig = ic.get
  ic.get = function(opts)
    return M.capture("nvim-inline-completion", orig, opts)
  end
  hooked.inline = true
  return true
end

function M.install_assistant_hooks()
  local a = M.config.assistant or {}
  if a.copilot ~= false then
    if not M.hook_copilot() and not hooked.copilot_waiting then
      -- copilot.lua may load later (lazy.nvim): hook it when it does.
      hooked.copilot_waiting = true
      vim.api.nvim_create_autocmd("User", {
        pattern = { "LazyLoad", "CopilotAttached" },
        callback = function()
          M.hook_copilot()
        end,
      })
    end
  end
  if a.inline_completion ~= false then
    M.hook_inline_completion()
  end
end

return M
