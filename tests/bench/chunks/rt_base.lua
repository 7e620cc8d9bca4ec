-- the baseline of rt_time.lua: everything but the runtimes
local lunatik = require "lunatik"
for i = 1, 100 do local s = tostring(i) end
