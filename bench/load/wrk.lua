-- wrk script of the load benchmark: POSTs one GraphQL request body over and over.
--   BODY_FILE   the JSON body ({"query": ..., "variables": ...})
--   AUTH_TOKEN  a bearer token, or empty for an anonymous request
-- Counts responses that are not 200 and 200s whose body has "errors", and prints one
-- machine-readable RESULT line (latencies in microseconds) after wrk's own report.

local f = assert(io.open(os.getenv("BODY_FILE"), "rb"))
local body = f:read("*a")
f:close()

wrk.method = "POST"
wrk.body = body
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
local token = os.getenv("AUTH_TOKEN")
if token and token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non200 = 0
  graphql_errors = 0
  sample = nil
end

function response(status, headers, resp_body)
  if status ~= 200 then
    non200 = non200 + 1
    if not sample then sample = tostring(status) .. " " .. string.sub(resp_body or "", 1, 300) end
  elseif string.find(resp_body, '"errors"', 1, true) then
    graphql_errors = graphql_errors + 1
    if not sample then sample = string.sub(resp_body, 1, 300) end
  end
end

function done(summary, latency, requests)
  local bad_status, bad_body, first = 0, 0, nil
  for _, t in ipairs(threads) do
    bad_status = bad_status + t:get("non200")
    bad_body = bad_body + t:get("graphql_errors")
    first = first or t:get("sample")
  end
  local e = summary.errors
  local socket_errors = e.connect + e.read + e.write + e.timeout
  io.write(string.format(
    "RESULT requests=%d duration_us=%d rps=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d "
      .. "non200=%d graphql_errors=%d socket_errors=%d timeouts=%d\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    bad_status, bad_body, socket_errors, e.timeout))
  if first then
    io.write("SAMPLE_ERROR " .. first .. "\n")
  end
end
