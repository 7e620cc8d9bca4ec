-- bytes held by a runtime of a trivial script, all libraries opened
local lunatik = require "lunatik"
local rt = lunatik.runtime("empty")
print(rt:stats().mem)
rt:stop()
