-- 100 runtimes created and stopped, one at a time
local lunatik = require "lunatik"
for i = 1, 100 do lunatik.runtime("empty"):stop() end
