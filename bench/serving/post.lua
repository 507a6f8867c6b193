-- wrk script for the serving benchmark: POSTs {"rows": [...]} as JSON on every request.
-- WRK_ROWS rows per request (default 1; the batch variant is WRK_ROWS=100), cycling through
-- a few iris measurements so the rows differ.
-- How to run:
--   wrk -t2 -c32 -d10s --latency -s bench/serving/post.lua http://127.0.0.1:8000/predict
--   WRK_ROWS=100 wrk -t2 -c32 -d10s --latency -s bench/serving/post.lua http://.../predict
local samples = {
  {5.1, 3.5, 1.4, 0.2}, {6.7, 3.0, 5.2, 2.3}, {5.9, 3.0, 4.2, 1.5}, {4.9, 3.0, 1.4, 0.2},
  {6.3, 3.3, 6.0, 2.5}, {5.5, 2.3, 4.0, 1.3}, {7.2, 3.6, 6.1, 2.5}, {5.0, 3.4, 1.5, 0.2},
}
local n = tonumber(os.getenv("WRK_ROWS") or "1")
local rows = {}
for i = 1, n do
  local s = samples[(i - 1) % #samples + 1]
  rows[i] = string.format(
    '{"sepal_length": %.1f, "sepal_width": %.1f, "petal_length": %.1f, "petal_width": %.1f}',
    s[1], s[2], s[3], s[4])
end
wrk.method = "POST"
wrk.body = '{"rows": [' .. table.concat(rows, ", ") .. ']}'
wrk.headers["Content-Type"] = "application/json"
