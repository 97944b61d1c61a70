-- Signed-in readers for wrk (bench/load.ts): each connection is one reader who asks for a page,
-- reads it for a while (an exponential think time, THINK seconds on average, so that readers
-- arrive independently rather than in step), then asks for the next. Paths come from a file, one
-- per line, taken in turn; the session cookie comes with wrk's -H. At the end one line
-- "RESULT {json}" gives the count, percentiles (ms) and every answer that was not a 200.
--
--   wrk -t1 -c5 -d120s --timeout 30s -H "Cookie: ..." -s bench/readers.lua http://127.0.0.1:PORT -- PATHS_FILE THINK SEED

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

local paths = {}
local next_path = 1
local think_ms = 0
statuses = {}

function init(args)
  for line in io.lines(args[1]) do
    table.insert(paths, line)
  end
  think_ms = tonumber(args[2]) * 1000
  -- Each route's wrk has a seed of its own: with one seed, every route would draw the same think
  -- times, and its readers would arrive in step with every other route's.
  math.randomseed(tonumber(args[3]))
end

function request()
  local path = paths[next_path]
  next_path = next_path % #paths + 1
  return wrk.format("GET", path)
end

function delay()
  if think_ms == 0 then
    return 0
  end
  -- Exponential think time: -ln(U) * mean.
  return math.floor(-math.log(1 - math.random()) * think_ms)
end

function response(status, headers, body)
  if status ~= 200 then
    statuses[status] = (statuses[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local non200 = {}
  for _, thread in ipairs(threads) do
    local counted = thread:get("statuses")
    for status, count in pairs(counted) do
      table.insert(non200, string.format('"%d":%d', status, count))
    end
  end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests":%d,"seconds":%.3f,"p50":%.1f,"p95":%.1f,"p99":%.1f,"max":%.1f,"connect":%d,"read":%d,"write":%d,"timeout":%d,"non200":{%s}}\n',
    summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.connect, e.read, e.write, e.timeout, table.concat(non200, ",")))
end
