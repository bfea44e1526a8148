-- Headless Neovim as a real LSP client of the Airlock server (test/nvim/nvim.test.ts drives it).
-- Environment: AIRLOCK_SERVER (dist/server.js), AIRLOCK_ROOT (workspace folder), AIRLOCK_FILES (';'-separated
-- paths to open), AIRLOCK_OUT (JSON result file), AIRLOCK_TIMEOUT_MS (how long to wait for diagnostics).
-- Works on Neovim 0.7 (vim.lsp.start_client + buf_attach_client) and on 0.8+ (vim.lsp.start).

local server = os.getenv('AIRLOCK_SERVER')
local root = os.getenv('AIRLOCK_ROOT')
local out = os.getenv('AIRLOCK_OUT')
local files = vim.split(os.getenv('AIRLOCK_FILES') or '', ';', { trimempty = true })
local timeout = tonumber(os.getenv('AIRLOCK_TIMEOUT_MS') or '20000')

local v = vim.version()
local result = {
  nvim = string.format('%d.%d.%d', v.major, v.minor, v.patch),
  api = vim.lsp.start and 'vim.lsp.start' or 'vim.lsp.start_client',
  files = {},
  complete = false,
}

local function write_result()
  local f, err = io.open(out, 'w')
  if not f then
    io.stderr:write('cannot write ' .. tostring(out) .. ': ' .. tostring(err) .. '\n')
    return
  end
  f:write(vim.fn.json_encode(result))
  f:close()
end

local FILETYPES = { tf = 'terraform', tfvars = 'terraform', yaml = 'yaml', yml = 'yaml', json = 'json' }

local function airlock_diagnostics(buf)
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.source == 'airlock' then
      local code = d.code
      if code == nil and d.user_data and d.user_data.lsp then code = d.user_data.lsp.code end
      table.insert(list, {
        code = code,
        lnum = d.lnum,
        col = d.col,
        end_lnum = d.end_lnum,
        end_col = d.end_col,
        severity = d.severity,
        message = d.message,
      })
    end
  end
  return list
end

local function main()
  local ok, err = pcall(function()
    assert(server and root and out and #files > 0, 'AIRLOCK_SERVER, AIRLOCK_ROOT, AIRLOCK_OUT and AIRLOCK_FILES must be set')
    if vim.filetype and vim.filetype.add then
      vim.filetype.add({ extension = { tf = 'terraform', tfvars = 'terraform' } })
    end
    local config = {
      name = 'airlock',
      cmd = { 'node', '--min-semi-space-size=16', server, '--stdio' },
      root_dir = root,
      init_options = { debounceMs = 0 },
      on_exit = function(code, signal)
        result.exit = { code = code, signal = signal }
      end,
    }
    local client_id
    local bufs = {}
    for _, file in ipairs(files) do
      vim.cmd('edit ' .. vim.fn.fnameescape(file))
      local buf = vim.api.nvim_get_current_buf()
      local ext = file:match('%.([%w]+)$')
      if FILETYPES[ext] then vim.bo[buf].filetype = FILETYPES[ext] end
      if vim.lsp.start then
        client_id = vim.lsp.start(config, { bufnr = buf })
      else
        client_id = client_id or vim.lsp.start_client(config)
        assert(client_id, 'vim.lsp.start_client failed')
        vim.lsp.buf_attach_client(buf, client_id)
      end
      table.insert(bufs, { buf = buf, file = file })
    end
    result.complete = vim.wait(timeout, function()
      for _, b in ipairs(bufs) do
        if #airlock_diagnostics(b.buf) == 0 then return false end
      end
      return true
    end, 50)
    local client = vim.lsp.get_client_by_id(client_id)
    result.initialized = client ~= nil and client.initialized == true
    for _, b in ipairs(bufs) do
      table.insert(result.files, { file = b.file, filetype = vim.bo[b.buf].filetype, diagnostics = airlock_diagnostics(b.buf) })
    end
  end)
  if not ok then result.error = tostring(err) end
  write_result()
  pcall(function()
    for _, c in pairs(vim.lsp.get_active_clients()) do c.stop() end
  end)
  vim.cmd('qa!')
end

vim.api.nvim_create_autocmd('VimEnter', { once = true, callback = function() vim.schedule(main) end })
