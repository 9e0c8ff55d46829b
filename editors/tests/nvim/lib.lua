-- Tiny test harness for headless Neovim: checks are printed as "ok"/"not ok" lines on stderr and
-- the process exits non-zero if any failed. Waits are bounded waits on conditions, never sleeps.
local T = { failed = 0, passed = 0 }

function T.log(msg)
  io.stderr:write(msg .. "\n")
end

function T.check(name, ok, detail)
  if ok then
    T.passed = T.passed + 1
    T.log("  ok - " .. name)
  else
    T.failed = T.failed + 1
    T.log("  not ok - " .. name .. (detail and (": " .. detail) or ""))
  end
  return ok
end

--- Wait (bounded) until cond() is truthy; returns its value or nil on timeout.
function T.wait(ms, cond)
  local value
  vim.wait(ms, function()
    value = cond()
    return value and true or false
  end, 25)
  return value
end

function T.diags(bufnr, code)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.source == "spillguard" and (code == nil or d.code == code) then
      table.insert(out, d)
    end
  end
  return out
end

function T.buffer_text(bufnr)
  return table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), "\n")
end

function T.read(path)
  local f = io.open(path, "r")
  if not f then
    return nil
  end
  local s = f:read("*a")
  f:close()
  return s
end

--- Run body() protected; then quit with a status that says whether everything passed.
function T.run(body)
  local ok, err = xpcall(body, debug.traceback)
  if not ok then
    T.check("test body ran without error", false, err)
  end
  T.log(("  %d checks passed, %d failed"):format(T.passed, T.failed))
  for _, c in ipairs(vim.lsp.get_clients()) do
    c:stop(true)
  end
  vim.cmd((T.failed == 0) and "qall!" or "cquit 1")
end

return T
