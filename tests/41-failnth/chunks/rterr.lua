-- runtimes whose scripts fail: syntax error, error at load, no such file
local lunatik = require("lunatik")
for _, name in ipairs{"failnth_syntax", "failnth_err", "failnth_none"} do
	local ok, e = pcall(lunatik.runtime, name)
	assert(not ok)
	if e:find("not enough memory") then error(e, 0) end
end
print("failnth-done")
