-- 1000 idle runtimes alive at once: Lua's bytes and the kernel's memory
local lunatik = require "lunatik"
local N = 1000
local function meminfo()
	local m = {}
	for l in io.lines("/proc/meminfo") do
		local k, v = l:match("^([%w_]+):%s+(%d+)")
		if k then m[k] = tonumber(v) end
	end
	return m
end
local t = {}
collectgarbage()
local m0 = meminfo()
for i = 1, N do t[i] = lunatik.runtime("empty") end
local m1 = meminfo()
local bytes = 0
for i = 1, N do bytes = bytes + t[i]:stats().mem end
for i = 1, N do t[i]:stop() end
t = nil
collectgarbage()
local m2 = meminfo()
-- runtimes, Lua bytes, MemAvailable drop (KiB), Slab growth (KiB),
-- MemAvailable not back after stop (KiB)
print(N, bytes, m0.MemAvailable - m1.MemAvailable, m1.Slab - m0.Slab,
      m0.MemAvailable - m2.MemAvailable)
