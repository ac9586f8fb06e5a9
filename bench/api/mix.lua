-- wrk script: the hostile load mix of issue 12 (40 % execution creates of a
-- 3-task workflow, 30 % filtered lists, 30 % gets by id). The ids to get are
-- read from the file named by BORA_MIX_IDS (one per line), written by
-- load_mix.sh before the run. BORA_MIX_CREATE_PERCENT changes the share of
-- creates (the rest split evenly; 100: only creates).
local ids = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

function init(args)
  local f = io.open(os.getenv("BORA_MIX_IDS"), "r")
  for line in f:lines() do ids[#ids + 1] = line end
  f:close()
  math.randomseed(id * 7919 + 17)
end

local create_percent = tonumber(os.getenv("BORA_MIX_CREATE_PERCENT") or "40")
local list_percent = create_percent + (100 - create_percent) / 2
local create_body = '{"workflow_name": "load_mix_wf"}'
local json = { ["Content-Type"] = "application/json" }

function request()
  local r = math.random(100)
  if r <= create_percent then
    return wrk.format("POST", "/v2/executions", json, create_body)
  elseif r <= list_percent then
    return wrk.format("GET", "/v2/executions?workflow_name=load_mix_wf&state=SUCCESS&limit=20&sort_keys=created_at&sort_dirs=desc")
  else
    return wrk.format("GET", "/v2/executions/" .. ids[math.random(#ids)])
  end
end

local failures = 0
function response(status, headers, body)
  if status >= 300 then
    failures = failures + 1
    if failures <= 3 then io.stderr:write("failed request: " .. status .. " " .. body:sub(1, 200) .. "\n") end
  end
end
