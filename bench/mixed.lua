-- wrk script: rotate over the paths listed (one per line) in the file named by BENCH_PATHS,
-- and count responses that are not 2xx/3xx per path class.
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do
  if #line > 0 then paths[#paths + 1] = line end
end
local counter = 0

request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end
