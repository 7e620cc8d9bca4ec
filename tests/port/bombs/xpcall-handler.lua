-- expect: error in error handling
local function h(m) error(m) end
local ok, e = xpcall(error, h, "x")
error(e, 0)
