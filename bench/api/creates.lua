-- wrk script: only execution creates of the 3-task workflow (POST
-- /v2/executions), for the "200 concurrent clients creating executions"
-- figure; run by load_mix.sh with BORA_MIX_SCRIPT=creates.lua.
local create_body = '{"workflow_name": "load_mix_wf"}'
local json = { ["Content-Type"] = "application/json" }

function request()
  return wrk.format("POST", "/v2/executions", json, create_body)
end

local failures = 0
function response(status, headers, body)
  if status >= 300 then
    failures = failures + 1
    if failures <= 3 then io.stderr:write("failed request: " .. status .. " " .. body:sub(1, 200) .. "\n") end
  end
end
