-- A second LSP client for Kodkarta's tests: headless Neovim 0.7 (Debian's), run as
--   nvim --headless -n -i NONE -u init.lua <transcript.md>
-- It starts the server on the project folder, attaches it to the opened file, waits for the diagnostics
-- the server pushes, asks for a completion after $KODKARTA_COMPLETE_AT and writes what it got to
-- $KODKARTA_OUT as JSON. 0.7 has no vim.lsp.start, so it uses start_client + buf_attach_client.
-- KODKARTA_LSP_LOG=1 writes Neovim's LSP log (lsp.log under $XDG_CACHE_HOME/nvim) for debugging.

vim.cmd('filetype on')
if os.getenv('KODKARTA_LSP_LOG') then vim.lsp.set_log_level('debug') end

local env = {
  node = os.getenv('KODKARTA_NODE') or 'node',
  server = assert(os.getenv('KODKARTA_SERVER'), 'KODKARTA_SERVER is not set'),
  root = assert(os.getenv('KODKARTA_ROOT'), 'KODKARTA_ROOT is not set'),
  out = assert(os.getenv('KODKARTA_OUT'), 'KODKARTA_OUT is not set'),
  complete_at = os.getenv('KODKARTA_COMPLETE_AT') or '{#',
  timeout = tonumber(os.getenv('KODKARTA_TIMEOUT_MS') or '10000'),
}

local function write_result(result)
  local file = assert(io.open(env.out, 'w'))
  file:write(vim.fn.json_encode(result))
  file:close()
end

local function run()
  local result = { filetype = vim.bo.filetype, errors = {} }
  local bufnr = vim.api.nvim_get_current_buf()
  local client_id = vim.lsp.start_client({
    name = 'kodkarta',
    cmd = { env.node, env.server, '--stdio' },
    root_dir = env.root,
    on_error = function(code, err)
      table.insert(result.errors, 'client error ' .. tostring(code) .. ': ' .. vim.inspect(err))
    end,
  })
  if not client_id then
    result.errors[#result.errors + 1] = 'vim.lsp.start_client failed'
    return result
  end
  vim.lsp.buf_attach_client(bufnr, client_id)

  local client
  vim.wait(env.timeout, function()
    client = vim.lsp.get_client_by_id(client_id)
    return client ~= nil and client.initialized == true
  end, 20)
  if not client or not client.initialized then
    result.errors[#result.errors + 1] = 'the server did not initialise'
    return result
  end
  result.root_dir = client.config.root_dir
  result.workspace_folders = client.workspace_folders
  -- Neovim 0.7 does not announce pull diagnostics, so the server must not offer them and must push.
  result.diagnostic_provider = client.server_capabilities.diagnosticProvider ~= nil

  -- Diagnostics come once the project is indexed: wait until they include a malformed tag.
  vim.wait(env.timeout, function()
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      if d.code == 'malformed-tag' then return true end
    end
    return false
  end, 20)
  result.diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(result.diagnostics, {
      code = d.code,
      message = d.message,
      severity = d.severity,
      source = d.source,
      lnum = d.lnum,
      col = d.col,
      end_lnum = d.end_lnum,
      end_col = d.end_col,
    })
  end

  -- Put the cursor right after the marker, as a user typing it would, and ask for completion there.
  local lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  for row, line in ipairs(lines) do
    local start = line:find(env.complete_at, 1, true)
    if start then
      vim.api.nvim_win_set_cursor(0, { row, start - 1 + #env.complete_at })
      local params = vim.lsp.util.make_position_params()
      result.completion_position = params.position
      local responses, err = vim.lsp.buf_request_sync(bufnr, 'textDocument/completion', params, env.timeout)
      if err then result.errors[#result.errors + 1] = 'completion: ' .. tostring(err) end
      local labels = {}
      for _, response in pairs(responses or {}) do
        if response.err then result.errors[#result.errors + 1] = 'completion: ' .. vim.inspect(response.err) end
        local items = response.result and (response.result.items or response.result) or {}
        for _, item in ipairs(items) do table.insert(labels, item.label) end
      end
      result.completion = labels
      break
    end
  end
  if not result.completion then
    result.errors[#result.errors + 1] = 'no ' .. env.complete_at .. ' in the file'
  end
  return result
end

vim.api.nvim_create_autocmd('VimEnter', {
  once = true,
  callback = function()
    local ok, result = pcall(run)
    if not ok then result = { errors = { tostring(result) } } end
    write_result(result)
    vim.lsp.stop_client(vim.lsp.get_active_clients())
    vim.cmd('qa!')
  end,
})
