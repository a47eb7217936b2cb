-- wrk script of bench/fetch.py: GET prefix..id for ids from BENCH_IDS in turn, with BENCH_AUTH if set
local ids = {}
for line in io.lines(os.getenv("BENCH_IDS")) do ids[#ids + 1] = line end
local prefix, suffix, auth = os.getenv("BENCH_PREFIX"), os.getenv("BENCH_SUFFIX") or "", os.getenv("BENCH_AUTH") or ""
local n = math.random(#ids)
request = function()
  n = n % #ids + 1
  local headers = {}
  if auth ~= "" then headers["Authorization"] = auth end
  return wrk.format("GET", prefix .. ids[n] .. suffix, headers)
end
