-- Shared by opens.lua and grabs.lua: reads the plan `bench --http URL --wrk-plan FILE` wrote (one "packetId token"
-- line per fresh open, PLAN names the file) and gives each wrk thread every N-th line, so no line is sent twice.
local plan = {}
local counter = 0
local next_line = 1

function setup(thread)
  counter = counter + 1
  thread:set("index", counter)
end

function init(args)
  local threads = tonumber(os.getenv("WRK_THREADS") or "2")
  local n = 0
  for line in io.lines(os.getenv("PLAN")) do
    n = n + 1
    if n % threads == index - 1 then
      local packet, token = line:match("(%S+) (%S+)")
      plan[#plan + 1] = {packet, token}
    end
  end
end

function next_open(action)
  local entry = plan[next_line]
  if entry == nil then
    entry = plan[#plan]  -- the plan ran out: repeats are refused (409), which hongbao_opens_total shows
  end
  next_line = next_line + 1
  return wrk.format("POST", "/v1/packets/" .. entry[1] .. "/" .. action,
    {["Authorization"] = "Bearer " .. entry[2], ["Content-Length"] = "0"}, nil)
end

function done(summary, latency, requests)
  io.write(string.format("requests %d in %.2f s: %.0f/s; p50 %.1f ms, p99 %.1f ms\n", summary.requests,
    summary.duration / 1e6, summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000))
end
