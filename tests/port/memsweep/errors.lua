-- error paths, closing variables and finalizers under memory failures
local ok, e = pcall(function()
	local x <close> = setmetatable({}, {__close = function() end})
	error({msg = "x"})
end)
assert(not ok and e.msg == "x")
setmetatable({}, {__gc = function() end})
collectgarbage()
local t = {}
for i = 1, 200 do t[("k%d"):format(i)] = {i} end
local ok2 = pcall(string.rep, "x", -1)
assert(load("syntax error here") == nil)
local s = ("abc"):gsub("%w", function(c) return c:upper() end)
assert(s == "ABC")
table.sort({3, 1, 2})
return xpcall(error, function(m) return tostring(m) end, "boom")
