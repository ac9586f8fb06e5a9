-- wrk script: the hostile load mix of issue 12 (40 % execution creates of a
-- 3-task workflow, 30 % filtered lists, 30 % gets by id). The ids to get are
-- read from the file named by BORA_MIX_IDS (one per line), written by
-- load_mix.sh before the run.
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

local create_body = '{"workflow_name": "load_mix_wf"}'
local json = { ["Content-Type"] = "application/json" }

function request()
  local r = math.random(100)
  if r <= 40 then
    return wrk.format("POST", "/v2/executions", json, create_body)
  elseif r <= 70 then
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
