-- a runtime created from a chunk: creation (runtime_alloc, lport_newstate,
-- the libraries, loading and running the script), resume, stats, stop
local lunatik = require("lunatik")
local rt = lunatik.runtime("failnth_rt")
local a, b = rt:resume(3)
assert(a == 4 and b == "s3")
assert(rt:stats().calls == 2)
rt:stop()
print("failnth-done")
